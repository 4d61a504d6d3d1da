// Row navigation keys in the task table, as in mail readers and less: j/k, arrows, Home/End.

export function rowMove(key: string, index: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'j': case 'ArrowDown': return Math.min(count - 1, index + 1);
    case 'k': case 'ArrowUp': return Math.max(0, index - 1);
    case 'Home': return 0;
    case 'End': return count - 1;
    default: return null;
  }
}
