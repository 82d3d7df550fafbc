import { graphql } from "../gql";

// Blocking a user is offered on their channel, in chat and in settings; the documents live here once.
export const BlockUserMutation = graphql(`
  mutation BlockUser($u: ID!) {
    blockUser(userId: $u)
  }
`);

export const UnblockUserMutation = graphql(`
  mutation UnblockUser($u: ID!) {
    unblockUser(userId: $u)
  }
`);
