import { useCallback } from "react";
import { request } from "../../api";
import { graphql } from "../../gql";
import { PAGE_SIZE, toPage, usePagedChannels } from "./Directory";

const LiveChannelsQuery = graphql(`
  query LiveChannels($first: Int!, $after: String, $category: String, $tags: [String!], $language: String) {
    liveChannels(first: $first, after: $after, category: $category, tags: $tags, language: $language) {
      edges {
        node {
          ...DirectoryChannel
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/**
 * Live channels, most watched first; `category`, `tags` (all of them) and `language` narrow them.
 * Nothing is asked while `skip`.
 */
export function useLiveChannels(category: string | null, skip = false, tags: string[] | null = null, language: string | null = null) {
  const tagKey = tags?.join(",") ?? "";
  const fetchPage = useCallback(
    (after: string | null) =>
      request(LiveChannelsQuery, { first: PAGE_SIZE, after, category, tags: tagKey ? tagKey.split(",") : null, language }).then((d) => toPage(d.liveChannels)),
    [category, tagKey, language],
  );
  return usePagedChannels(skip ? null : fetchPage);
}
