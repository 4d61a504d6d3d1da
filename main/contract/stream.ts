// The task stream over any stretch of a run: exact bars where they are at least a pixel or two
// wide, blocks per lane where attempts are denser than that (getStream).

export interface StreamQuery {
  /** Epoch ms, inclusive */
  from: number;
  to: number;
  /** Pixels the stretch is drawn across: a block is about two pixels of one lane */
  px: number;
  /**
   * Only the attempts that ended after this (epoch ms): the part of an earlier answer's stretch
   * that changed since its `through`. With `bucketMs` from that answer its blocks line up with
   * the earlier ones, so the asker merges them (the answer is never widened to fit).
   */
  since?: number;
  bucketMs?: number;
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
  /** The task's attempts so far (its latest attempt's number), when more than this one */
  of?: number;
  /** How it ended, for the card: "ok", "failed, exit 3", "timeout", "killed by SIGKILL" */
  ended?: string;
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
  /** The width of the blocks' buckets (ms), to ask for what changed since (`since`) on the same grid */
  bucketMs?: number;
  /** The query's `since`: this answer holds only the attempts that ended after it */
  since?: number;
  /** Earlier attempts of retried tasks the supervisor no longer keeps (over its byte budget) */
  droppedAttempts?: number;
  bars: StreamBar[];
  blocks: StreamBlock[];
}
