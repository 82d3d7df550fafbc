using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Auth;

/// <summary>
/// Who is asking, for one GraphQL operation (an HTTP request, or one operation on a WebSocket).
/// Resolvers read it through <c>context.UserContext</c>.
/// </summary>
public sealed class WgUserContext : Dictionary<string, object?>
{
    public WgUserContext(SessionPrincipal? principal, ClientInfo client, HttpContext? http)
    {
        Principal = principal;
        Client = client;
        Http = http;
    }

    public SessionPrincipal? Principal { get; }

    public ClientInfo Client { get; }

    /// <summary>The HTTP exchange, when the operation came over plain HTTP (cookies can be set); null on WebSockets.</summary>
    public HttpContext? Http { get; }

    /// <summary>The WebSocket this operation came over (an id unique on the node), or null on plain HTTP.</summary>
    public string? ConnectionId { get; init; }

    /// <summary>The language of the client (Accept-Language), for e-mails sent on its behalf.</summary>
    public string Language { get; init; } = "en";

    /// <summary>Set when this very operation signed someone in (register, login): they may see their own private fields in the reply.</summary>
    public Guid? SignedInUserId { get; set; }

    /// <summary>The running query's or mutation's <see cref="GraphQL.ResultBudget"/>; set by the executor, one operation at a time.</summary>
    public GraphQL.ResultBudget? Budget { get; set; }

    /// <summary>A context for one more operation on the same socket: same client, its own budget and sign-in.</summary>
    public WgUserContext ForOperation() => new(Principal, Client, Http) { ConnectionId = ConnectionId, Language = Language };

    public bool IsSelf(Guid userId) => Principal?.UserId == userId || SignedInUserId == userId;

    public SessionPrincipal RequirePrincipal() => Principal ?? throw WgException.Unauthenticated();
}
