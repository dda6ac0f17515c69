/** Backup codes, shown once: a list to read, a button to copy them and one to save them as a file. */
import { useState } from "preact/hooks";
import { Button } from "./ui.tsx";

export function BackupCodes({ codes, appName }: { codes: string[]; appName: string }) {
  const [copied, setCopied] = useState<boolean | undefined>();
  const text = `${appName} backup codes (each works once)\n\n${codes.join("\n")}\n`;
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${appName.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-backup-codes.txt`;
    a.click();
    // Revoked later: the download reads the blob after the click returns.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div class="notice success">
      <p>
        Save these backup codes somewhere safe. Each one signs you in once when you cannot use your
        authenticator app. They will not be shown again.
      </p>
      <ul class="codes" aria-label="Your backup codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <div class="actions">
        <Button kind="secondary" type="button" onClick={copy}>
          Copy codes
        </Button>
        <Button kind="secondary" type="button" onClick={download}>
          Download codes
        </Button>
      </div>
      <p role="status">
        {copied === true ? "Copied." : copied === false ? "Could not copy: select the codes instead." : ""}
      </p>
    </div>
  );
}
