import { useId } from 'preact/hooks'

export interface Bar {
  label: string
  /** null: suppressed (too few answers to show beyond the organization). */
  value: number | null
  /** What is written after the bar, e.g. "12 · 40%". */
  note: string
}

const ROW = 30
const LABEL_W = 132
const NOTE_W = 92
const W = 480

/** Cuts a label to what fits in the label column (CJK characters are about one em wide). */
function fit(label: string, max = 9): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label
}

/**
 * Horizontal bars as inline SVG (no chart library): one row per option, so long Chinese labels stay
 * readable on a 375 px phone. The figures are in the notes and in a table beside it, so the SVG is an image
 * with a title for screen readers.
 */
export function BarChart({ bars, caption, max }: { bars: Bar[]; caption: string; max?: number }) {
  const id = useId()
  const top = max ?? Math.max(1, ...bars.map((b) => b.value ?? 0))
  const inner = W - LABEL_W - NOTE_W
  const H = Math.max(bars.length, 1) * ROW + 8
  return (
    <figure class="bar-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-cap`} preserveAspectRatio="xMinYMin meet">
        <title>{caption}</title>
        {bars.map((b, i) => {
          const y = 4 + i * ROW
          const w = b.value === null ? 0 : Math.max((b.value / top) * inner, b.value > 0 ? 2 : 0)
          return (
            <g key={`${b.label}-${i}`}>
              <text x={LABEL_W - 8} y={y + ROW / 2 + 5} text-anchor="end" class="label">
                {fit(b.label)}
              </text>
              <rect x={LABEL_W} y={y + 4} width={inner} height={ROW - 10} class="track" rx={3} />
              <rect x={LABEL_W} y={y + 4} width={w} height={ROW - 10} class="bar" rx={3} />
              <text x={W - NOTE_W + 6} y={y + ROW / 2 + 5} class="note">
                {b.note}
              </text>
            </g>
          )
        })}
      </svg>
      <figcaption id={`${id}-cap`}>{caption}</figcaption>
    </figure>
  )
}
