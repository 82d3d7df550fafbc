/** Words of chat replies, mentions, pins and /clear. */
export const en = {
  replyTo: "Reply to {name}",
  replyingTo: "Replying to @{name}",
  pinMessage: "Pin to the top of the chat",
  pinFor: "Pin for how many minutes? (up to 720)",
  messagePinned: "The message is pinned.",
  messageUnpinned: "The message is unpinned.",
  pinnedUntil: "pinned until {time}",
  unpin: "Unpin",
  chatClearedToast: "The chat is cleared for everyone.",
  modPinMessage: "pinned a message",
  modUnpinMessage: "unpinned a message",
  modClearChat: "cleared the chat",
  kindMention: "Mentions and replies in chat",
};

export const uk: Record<keyof typeof en, string> = {
  replyTo: "Відповісти {name}",
  replyingTo: "Відповідь для @{name}",
  pinMessage: "Закріпити вгорі чату",
  pinFor: "На скільки хвилин закріпити? (до 720)",
  messagePinned: "Повідомлення закріплено.",
  messageUnpinned: "Повідомлення відкріплено.",
  pinnedUntil: "закріплено до {time}",
  unpin: "Відкріпити",
  chatClearedToast: "Чат очищено для всіх.",
  modPinMessage: "закріпив повідомлення",
  modUnpinMessage: "відкріпив повідомлення",
  modClearChat: "очистив чат",
  kindMention: "Згадки й відповіді в чаті",
};
