using Microsoft.Extensions.Options;
using WgStream.Api.Hosting;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Auth;

/// <summary>The platform's operators: the user ids in <c>Admin:UserIds</c>, each with two-factor authentication on.</summary>
public sealed class Operators(IOptions<AdminOptions> options, IClusterClient cluster)
{
    public bool IsListed(Guid userId) => options.Value.UserIds.Contains(userId);

    /// <summary>FORBIDDEN unless <paramref name="userId"/> is an operator whose account has 2FA.</summary>
    public async Task RequireAsync(Guid userId)
    {
        if (!IsListed(userId))
        {
            throw WgException.Forbidden("Only operators can do that.");
        }

        if (await cluster.GetGrain<IUserGrain>(userId).GetProfileAsync() is not { TotpEnabled: true })
        {
            throw WgException.Forbidden("Operators need two-factor authentication: turn it on in Settings → Security.");
        }
    }
}
