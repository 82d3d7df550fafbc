using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using WgStream.Api.Auth;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Api.Hosting;

/// <summary>Bound from the <c>Admin</c> section: who may open operator pages such as the Orleans dashboard.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>
    /// User ids of the platform's operators, e.g. <c>WG_Admin__UserIds__0=3f2b…</c>. Ids, not
    /// usernames: a username can be changed and then claimed by someone else, an id never moves.
    /// </summary>
    public List<Guid> UserIds { get; set; } = [];
}

/// <summary>
/// The Orleans dashboard at <c>/admin/orleans</c>, for signed-in operators only (session cookie or
/// bearer token) whose account has two-factor authentication on: the dashboard shows every grain in
/// the cluster, so a stolen password alone must not open it.
/// </summary>
public static class AdminDashboard
{
    public const string Path = "/admin/orleans";

    /// <summary>The 403 code for a listed operator whose account has no 2FA yet; clients may rely on it.</summary>
    public const string TwoFactorRequired = "TWO_FACTOR_REQUIRED";

    public static WebApplication MapAdminDashboard(this WebApplication app)
    {
        app.MapOrleansDashboard(Path).AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var services = http.RequestServices;
            var token = SessionAuthenticator.ReadToken(http.Request);
            var principal = token is null
                ? null
                : await services.GetRequiredService<SessionAuthenticator>().AuthenticateAsync(token, http.Connection.RemoteIpAddress?.ToString());
            if (principal is null)
            {
                return Results.Json(new { code = "UNAUTHENTICATED", message = "Sign in as an operator." }, statusCode: StatusCodes.Status401Unauthorized);
            }

            var operators = services.GetRequiredService<IOptions<AdminOptions>>().Value.UserIds;
            var profile = operators.Contains(principal.UserId)
                ? await services.GetRequiredService<IClusterClient>().GetGrain<IUserGrain>(principal.UserId).GetProfileAsync()
                : null;
            if (profile is null)
            {
                return Results.Json(new { code = "FORBIDDEN", message = "Only operators may open the Orleans dashboard." }, statusCode: StatusCodes.Status403Forbidden);
            }

            if (!profile.TotpEnabled)
            {
                return Results.Json(
                    new { code = TwoFactorRequired, message = "Operators need two-factor authentication: turn it on in Settings → Security (enableTotp, then confirmTotp) and reload." },
                    statusCode: StatusCodes.Status403Forbidden);
            }

            return await next(context);
        });
        return app;
    }
}
