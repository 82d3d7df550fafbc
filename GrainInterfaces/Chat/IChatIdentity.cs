namespace WgStream.GrainInterfaces.Chat;

/// <summary>How a user appears in chat.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatIdentity(Guid UserId, string Username, string Color);
