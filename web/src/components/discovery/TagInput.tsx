import { useState, type KeyboardEvent } from "react";
import { useApp } from "../../context";

/** The server's rule, checked here too so a typo is caught as it is typed: 1–25 letters or digits, any script. */
const TAG = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}]{0,24}$/u;
export const TAGS_MAX = 10;

/**
 * Tags as removable chips and a field: Enter or a comma adds what was typed (a repeat, ignoring
 * case, is not added twice). The server checks the same rule and has the last word.
 */
export function TagInput({ tags, onChange }: { tags: string[]; onChange: (tags: string[]) => void }) {
  const { t } = useApp();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);

  const add = () => {
    const tag = text.trim().replace(/^#/, "").normalize("NFC");
    if (!tag) return;
    if (!TAG.test(tag)) {
      setError(t("tagInvalid"));
      return;
    }
    if (tags.some((x) => x.toLowerCase() === tag.toLowerCase())) {
      setText("");
      return;
    }
    if (tags.length >= TAGS_MAX) {
      setError(t("tagsFull"));
      return;
    }
    onChange([...tags, tag]);
    setText("");
    setError(null);
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" || e.key === ",") {
      e.preventDefault();
      add();
    } else if (e.key === "Backspace" && text === "" && tags.length > 0) {
      onChange(tags.slice(0, -1));
    }
  };

  return (
    <div className="tag-input">
      <ul className="tag-chips">
        {tags.map((tag) => (
          <li key={tag} className="tag-chip editable">
            {tag}
            <button type="button" className="ghost small" aria-label={t("removeTag", { tag })} data-testid={`remove-tag-${tag.toLowerCase()}`} onClick={() => onChange(tags.filter((x) => x !== tag))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="row">
        <input
          data-testid="tag-input"
          value={text}
          maxLength={25}
          aria-invalid={error ? true : undefined}
          disabled={tags.length >= TAGS_MAX}
          onChange={(e) => {
            setText(e.target.value.replace(",", ""));
            setError(null);
          }}
          onKeyDown={onKey}
          onBlur={add}
        />
        <button type="button" className="ghost" data-testid="add-tag" onClick={add} disabled={tags.length >= TAGS_MAX}>
          {t("addTag")}
        </button>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="tag-error">
          {error}
        </p>
      )}
    </div>
  );
}
