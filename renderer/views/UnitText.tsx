import { unitRuns } from '../lib/format.js';

/** Evidence text whose "number unit" runs never break across lines; its textContent is the text. */
export function UnitText({ text }: { text: string }) {
  return (
    <>
      {unitRuns(text).map((part, i) => (i % 2 === 1 ? <span key={i} className="nowrap">{part}</span> : part))}
    </>
  );
}
