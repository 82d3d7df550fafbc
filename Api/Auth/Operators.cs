using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Auth;

/// <summary>What a signed-in account may do as an operator.</summary>
public enum OperatorAccess
{
    /// <summary>Not listed in <c>Admin:UserIds</c>.</summary>
    None,

    /// <summary>Listed, but the account has no two-factor authentication yet: nothing opens until it does.</summary>
    TwoFactorRequired,

    /// <summary>Listed, with 2FA on.</summary>
    Granted,
}

/// <summary>
/// The platform's operators: the user ids in <c>Admin:UserIds</c>, each with two-factor
/// authentication on. The one place that decides it, for the GraphQL operations and the Orleans
/// dashboard alike. The 2FA check asks the user grain on every call, so turning 2FA on (or off)
/// counts at once.
/// </summary>
public sealed class Operators(IOptions<AdminOptions> options, IClusterClient cluster)
{
    /// <summary>The stable code for a listed operator without 2FA (the dashboard's 403; GraphQL says FORBIDDEN with field <c>totp</c>).</summary>
    public const string TwoFactorRequiredCode = "TWO_FACTOR_REQUIRED";

    public const string TwoFactorMessage = "Operators need two-factor authentication: turn it on in Settings → Security, then reload.";

    public bool IsListed(Guid userId) => options.Value.UserIds.Contains(userId);

    public async Task<OperatorAccess> AccessAsync(Guid userId)
    {
        if (!IsListed(userId))
        {
            return OperatorAccess.None;
        }

        return await cluster.GetGrain<IUserProfileGrain>(userId).GetProfileAsync() is { TotpEnabled: true }
            ? OperatorAccess.Granted
            : OperatorAccess.TwoFactorRequired;
    }

    /// <summary>FORBIDDEN unless <paramref name="userId"/> is an operator whose account has 2FA (then with <c>field</c> <c>totp</c>).</summary>
    public async Task RequireAsync(Guid userId)
    {
        switch (await AccessAsync(userId))
        {
            case OperatorAccess.None:
                throw WgException.Forbidden("Only operators can do that.");
            case OperatorAccess.TwoFactorRequired:
                throw new WgException(ErrorCodes.Forbidden, TwoFactorMessage, "totp");
        }
    }
}
