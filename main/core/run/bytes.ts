const KiB = 1024;
const MiB = KiB * 1024;
const GiB = MiB * 1024;

/** Sizes in limit messages ("200.0 MiB > 16.0 MiB"): binary units, one decimal. */
export function formatBytes(n: number): string {
  if (n >= GiB) return `${(n / GiB).toFixed(1)} GiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= KiB) return `${(n / KiB).toFixed(1)} KiB`;
  return `${n} B`;
}
