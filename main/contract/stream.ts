// The task stream over any stretch of a run: exact bars where they are at least a pixel or two
// wide, blocks per lane where attempts are denser than that (getStream).

export interface StreamQuery {
  /** Epoch ms, inclusive */
  from: number;
  to: number;
  /** Pixels the stretch is drawn across: a block is about two pixels of one lane */
  px: number;
}

/** How an ended attempt went, as the stream colours it. */
export type StreamOutcome = 'ok' | 'failed' | 'killed' | 'interrupted' | 'skipped';

export interface StreamBar {
  seq: number;
  attempt: number;
  slot: number;
  start: number;
  end: number;
  outcome: StreamOutcome;
}

export interface StreamBlock {
  slot: number;
  /** The earliest start and the latest end of the attempts in it */
  from: number;
  to: number;
  count: number;
  ok: number;
  failed: number;
  killed: number;
  /** interrupted or skipped */
  other: number;
}

export interface StreamSlice {
  from: number;
  to: number;
  /** Attempts that ended up to this time are in the slice; later ones come with ticks */
  through: number;
  bars: StreamBar[];
  blocks: StreamBlock[];
}
