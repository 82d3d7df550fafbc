import { Link } from "../../context";

/** A channel's tags as links to their pages (/t/{tag}). */
export function TagChips({ tags, testId }: { tags: readonly string[]; testId?: string }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tag-chips" data-testid={testId}>
      {tags.map((tag) => (
        <li key={tag}>
          <Link to={`/t/${encodeURIComponent(tag.toLowerCase())}`} className="tag-chip" testId={`tag-${tag.toLowerCase()}`}>
            {tag}
          </Link>
        </li>
      ))}
    </ul>
  );
}
