/** "Did you mean …?" for misspelt names: plugin names, option keys, var names, enum values. */

/** Folds the differences people make without meaning to: case, dashes, underscores, spaces. */
function fold(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, "");
}

/** Levenshtein distance; inputs are short names, so the simple O(n·m) table is plenty. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate a person most likely meant, or undefined when nothing is close.
 * Order: same name ignoring case/dashes/underscores, then a unique prefix ("magic" → "magicLink"),
 * then the nearest by edit distance within a third of the length.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const folded = fold(input);
  if (folded === "") return undefined;
  const exact = candidates.find((c) => fold(c) === folded);
  if (exact !== undefined) return exact;

  if (folded.length >= 3) {
    const prefixed = candidates.filter((c) => fold(c).startsWith(folded));
    if (prefixed.length === 1) return prefixed[0];
  }

  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const target = fold(candidate);
    const distance = editDistance(folded, target);
    const limit = Math.max(1, Math.floor(Math.max(folded.length, target.length) / 3));
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean "x"?)`, or "" when there is no good guess. */
export function didYouMeanSuffix(input: string, candidates: readonly string[]): string {
  const guess = didYouMean(input, candidates);
  return guess === undefined ? "" : ` (did you mean "${guess}"?)`;
}
