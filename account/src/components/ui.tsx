/** The few building blocks every page uses: layout, notices, labelled fields, buttons with a busy state. */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { messageOf } from "../api.ts";

export function Layout({
  appName,
  title,
  wide = false,
  children,
}: {
  appName: string;
  title: string;
  /** Room for lists and badges (/account); sign-in pages stay narrow. */
  wide?: boolean;
  children: ComponentChildren;
}) {
  return (
    <>
      <header class="top">
        <span class="brand">{appName}</span>
      </header>
      <main class={wide ? "card wide" : "card"} aria-labelledby="page-title">
        <h1 id="page-title">{title}</h1>
        {children}
      </main>
    </>
  );
}

export function Notice({
  kind,
  children,
}: {
  kind: "error" | "info" | "success";
  children: ComponentChildren;
}) {
  return (
    <p class={`notice ${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </p>
  );
}

export function Field({
  label,
  name,
  type = "text",
  autocomplete,
  value,
  onInput,
  required = true,
  inputMode,
  minLength,
  maxLength,
  pattern,
  hint,
}: {
  label: string;
  name: string;
  type?: "text" | "email" | "password";
  autocomplete?: string;
  value: string;
  onInput: (value: string) => void;
  required?: boolean;
  inputMode?: "numeric" | "email" | "text";
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** A line under the label saying what the field wants; read out with the field. */
  hint?: string;
}) {
  const id = `field-${name}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const common = {
    id,
    name,
    autocomplete,
    value,
    required,
    inputMode,
    minLength,
    maxLength,
    pattern,
    "aria-describedby": hintId,
    onInput: (e: { currentTarget: HTMLInputElement }) => onInput(e.currentTarget.value),
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <span class="hint" id={hintId}>
          {hint}
        </span>
      )}
      {/* Preact types each input type apart, so each gets its own element. */}
      {type === "password" && <input type="password" {...common} />}
      {type === "email" && <input type="email" {...common} />}
      {type === "text" && <input type="text" {...common} />}
    </div>
  );
}

/** A labelled checkbox (`field-<name>`), the box before its words. */
export function Check({
  name,
  label,
  checked,
  onChange,
  required = false,
}: {
  name: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  required?: boolean;
}) {
  const id = `field-${name}`;
  return (
    <div class="check">
      <input
        id={id}
        type="checkbox"
        required={required}
        checked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
      <label for={id}>{label}</label>
    </div>
  );
}

export function Button({
  busy,
  children,
  kind = "primary",
  type = "submit",
  onClick,
  label,
}: {
  busy?: boolean;
  children: ComponentChildren;
  kind?: "primary" | "secondary" | "danger";
  type?: "submit" | "button";
  onClick?: () => void;
  label?: string;
}) {
  return (
    <button
      class={`btn ${kind}`}
      type={type}
      disabled={busy}
      aria-busy={busy}
      onClick={onClick}
      aria-label={label}
    >
      {children}
    </button>
  );
}

/** Runs one async action at a time, keeping its busy flag and the error to show. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/** A form whose submit runs `onSubmit` instead of navigating. */
export function Form({
  label,
  onSubmit,
  children,
}: {
  label: string;
  onSubmit: () => void;
  children: ComponentChildren;
}) {
  return (
    <form
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}
