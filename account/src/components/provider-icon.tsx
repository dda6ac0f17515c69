/**
 * A provider's mark before "Continue with …": a <use> of the symbol the Worker put in the page for
 * each configured provider (worker/auth/social/provider-icons.ts). Decorative: the text names it.
 */
export function ProviderIcon({ id }: { id: string }) {
  return (
    <svg class="provider-icon" width="18" height="18" aria-hidden="true" focusable="false">
      <use href={`#provider-icon-${id}`} />
    </svg>
  );
}
