using Orleans.Dashboard;
using WgStream.Api.Auth;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Api.Hosting;

/// <summary>Bound from the <c>Admin</c> section: who may open operator pages such as the Orleans dashboard.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Usernames (case-insensitive) of the platform's operators, e.g. <c>WG_Admin__Usernames__0=alice</c>.</summary>
    public List<string> Usernames { get; set; } = [];
}

/// <summary>The Orleans dashboard at <c>/admin/orleans</c>, for signed-in operators only (session cookie or bearer token).</summary>
public static class AdminDashboard
{
    public const string Path = "/admin/orleans";

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

            var admins = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdminOptions>>().Value.Usernames;
            var profile = await services.GetRequiredService<IClusterClient>().GetGrain<IUserGrain>(principal.UserId).GetProfileAsync();
            if (profile is null || !admins.Contains(profile.Username, StringComparer.OrdinalIgnoreCase))
            {
                return Results.Json(new { code = "FORBIDDEN", message = "Only operators may open the Orleans dashboard." }, statusCode: StatusCodes.Status403Forbidden);
            }

            return await next(context);
        });
        return app;
    }
}
