/** Words of user blocks: in chat, on a channel page and in the settings' list. */
export const en = {
  blockUser: "Block {name}",
  blockConfirm: "Block {name}? Their chat messages will be hidden from you, and they will not be able to follow or sponsor you. They are not told.",
  userBlocked: "{name} is blocked.",
  userUnblocked: "{name} is unblocked.",
  block: "Block",
  unblock: "Unblock",
  blockedTab: "Blocked users",
  blockedHint: "You don't see these users' chat messages, and they can't follow or sponsor you.",
  noBlockedUsers: "You haven't blocked anyone.",
  blockedSince: "blocked {date}",
  deletedUser: "deleted account",
};

export const uk: Record<keyof typeof en, string> = {
  blockUser: "Заблокувати {name}",
  blockConfirm: "Заблокувати {name}? Ви не бачитимете повідомлень цієї людини в чаті, а вона не зможе стежити за вами чи спонсорувати вас. Їй про це не повідомлять.",
  userBlocked: "{name} заблоковано.",
  userUnblocked: "{name} розблоковано.",
  block: "Заблокувати",
  unblock: "Розблокувати",
  blockedTab: "Заблоковані",
  blockedHint: "Ви не бачите повідомлень цих людей у чаті, а вони не можуть стежити за вами чи спонсорувати вас.",
  noBlockedUsers: "Ви нікого не заблокували.",
  blockedSince: "заблоковано {date}",
  deletedUser: "видалений обліковий запис",
};
