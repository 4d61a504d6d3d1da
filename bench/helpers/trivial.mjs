// Corral module task for the module benchmark: as little work as a task can be.
export default async (input) => Number(input) * 2;
