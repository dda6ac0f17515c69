/** A QR code drawn as SVG in the page (lean-qr's nano encoder, ~2 KiB gzip): no image service sees the secret. */
import { generate } from "lean-qr/nano";

/** The blank border scanners need around a code (ISO/IEC 18004 asks for 4 modules). */
const QUIET = 4;

export function QrCode({ text, label }: { text: string; label: string }) {
  const code = generate(text);
  // One path of 1×1 squares, one per dark module, on a white square: dark on light in every theme.
  let d = "";
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; x++) if (code.get(x, y)) d += `M${x} ${y}h1v1h-1z`;
  }
  const side = code.size + 2 * QUIET;
  return (
    <svg
      class="qr"
      role="img"
      aria-label={label}
      viewBox={`${-QUIET} ${-QUIET} ${side} ${side}`}
      shape-rendering="crispEdges"
    >
      <rect x={-QUIET} y={-QUIET} width={side} height={side} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
