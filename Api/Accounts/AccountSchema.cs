using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.Options;
using WgStream.Api.Auth;
using WgStream.Api.GraphQL;
using WgStream.Api.Realtime;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Accounts;

/// <summary>Accounts, sessions and 2FA: the GraphQL surface over the user grain (its credentials, sessions, profile and lifecycle views) and SessionGrain.</summary>
public sealed class AccountSchema(
    IClusterClient cluster,
    NodeFeeds feeds,
    RateLimiter rateLimiter,
    IOptions<RateLimitOptions> limits,
    IOptions<SessionCookieOptions> cookieOptions) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        query.Field<UserType>("me")
            .Description("The signed-in user, or null.")
            .ResolveAsync(async ctx => ctx.WgUser().Principal is { } p ? await Profile(p.UserId).GetProfileAsync() : null);

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SessionType>>>>("mySessions")
            .ResolveAsync(async ctx => await Sessions(ctx.WgUser().RequirePrincipal().UserId).GetSessionsAsync());
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AuthPayloadType>>("register")
            .Description("Creates an account, sends an e-mail verification code and signs in.")
            .Argument<NonNullGraphType<RegisterInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var user = ctx.WgUser();
                var input = ctx.GetArgument<RegisterInput>("input");
                await rateLimiter.EnsureAllowedAsync($"register:ip:{RateLimitAddress.Of(user.Client.IpAddress)}", limits.Value.RegisterPerIp, "sign-ups from this address");
                var userId = Guid.NewGuid();
                await Lifecycle(userId).RegisterAsync(new RegisterCommand(input.Username, input.Email, input.Password, user.Language));
                var result = await Credentials(userId).LoginAsync(new LoginCommand(input.Password, null, user.Client));
                return SignedIn(user, result);
            });

        mutation.Field<NonNullGraphType<AuthPayloadType>>("login")
            .Argument<NonNullGraphType<LoginInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var user = ctx.WgUser();
                var input = ctx.GetArgument<LoginInput>("input");
                var login = input.Login.Trim();
                var address = RateLimitAddress.Of(user.Client.IpAddress);
                // Per account *and* address: a stranger guessing from elsewhere cannot lock the owner out.
                var accountKey = $"login:account:{login.ToLowerInvariant()}:{address}";
                await rateLimiter.EnsureAllowedAsync($"login:ip:{address}", limits.Value.LoginPerIp, "sign-in attempts from this address");
                await rateLimiter.EnsureAllowedAsync(accountKey, limits.Value.LoginPerAccount, "sign-in attempts for this account");
                var lookup = cluster.GetGrain<IAccountLookupGrain>(0);
                var userId = login.Length is > 0 and <= 254 ? await lookup.FindAsync(login) : null;
                if (userId is null)
                {
                    await lookup.SpendPasswordCheckAsync(input.Password);
                    throw WgException.Unauthenticated("Wrong login or password.");
                }

                var result = await Credentials(userId.Value).LoginAsync(new LoginCommand(input.Password, input.TotpCode, user.Client));
                if (result.Token is not null)
                {
                    await rateLimiter.ResetAsync(accountKey);
                }

                return SignedIn(user, result);
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("logout")
            .ResolveAsync(async ctx =>
            {
                var user = ctx.WgUser();
                var principal = user.RequirePrincipal();
                await Sessions(principal.UserId).RevokeSessionAsync(principal.SessionId);
                if (user.Http is { } http)
                {
                    SessionAuthenticator.ClearCookie(http);
                }

                return true;
            });

        mutation.Field<NonNullGraphType<UserType>>("verifyEmail")
            .Argument<NonNullGraphType<StringGraphType>>("code")
            .ResolveAsync(async ctx =>
            {
                var principal = ctx.WgUser().RequirePrincipal();
                await rateLimiter.EnsureAllowedAsync($"verify:account:{principal.UserId}", limits.Value.LoginPerAccount, "attempts");
                return await Profile(principal.UserId).VerifyEmailAsync(ctx.GetArgument<string>("code"));
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("resendVerificationEmail")
            .ResolveAsync(async ctx =>
            {
                var principal = ctx.WgUser().RequirePrincipal();
                await rateLimiter.EnsureAllowedAsync($"mail:account:{principal.UserId}", limits.Value.EmailPerAccount, "e-mails");
                await Profile(principal.UserId).ResendVerificationEmailAsync();
                return true;
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("requestPasswordReset")
            .Description("Always true, whether or not the address has an account, so addresses cannot be probed.")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .ResolveAsync(async ctx =>
            {
                var user = ctx.WgUser();
                var email = ctx.GetArgument<string>("email").Trim();
                if (email.Length is 0 or > 254 || !email.Contains('@', StringComparison.Ordinal))
                {
                    throw WgException.BadInput("Enter a valid e-mail address.", "email");
                }

                await rateLimiter.EnsureAllowedAsync($"reset:ip:{RateLimitAddress.Of(user.Client.IpAddress)}", limits.Value.RegisterPerIp, "reset requests from this address");
                await rateLimiter.EnsureAllowedAsync($"reset:email:{email.ToLowerInvariant()}", limits.Value.EmailPerAccount, "reset e-mails for this address");
                if (await cluster.GetGrain<IAccountLookupGrain>(0).FindAsync(email) is { } userId)
                {
                    await Credentials(userId).RequestPasswordResetAsync(user.Language);
                }

                return true;
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("resetPassword")
            .Description("Sets a new password with the token from the reset e-mail; every session is signed out.")
            .Argument<NonNullGraphType<StringGraphType>>("token")
            .Argument<NonNullGraphType<StringGraphType>>("newPassword")
            .ResolveAsync(async ctx =>
            {
                var token = ctx.GetArgument<string>("token");
                var dot = token.IndexOf('.', StringComparison.Ordinal);
                if (dot != 32 || !Guid.TryParseExact(token[..dot], "N", out var userId))
                {
                    throw WgException.BadInput("The reset link is invalid or has expired.", "token");
                }

                await rateLimiter.EnsureAllowedAsync($"reset:account:{userId}", limits.Value.LoginPerAccount, "attempts");
                await Credentials(userId).ResetPasswordAsync(token[(dot + 1)..], ctx.GetArgument<string>("newPassword"));
                return true;
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("changePassword")
            .Description("Other sessions are signed out; this one stays.")
            .Argument<NonNullGraphType<StringGraphType>>("currentPassword")
            .Argument<NonNullGraphType<StringGraphType>>("newPassword")
            .ResolveAsync(async ctx =>
            {
                var principal = ctx.WgUser().RequirePrincipal();
                await rateLimiter.EnsureAllowedAsync($"password:account:{principal.UserId}", limits.Value.LoginPerAccount, "attempts");
                await Credentials(principal.UserId).ChangePasswordAsync(
                    ctx.GetArgument<string>("currentPassword"), ctx.GetArgument<string>("newPassword"), principal.SessionId);
                return true;
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("revokeSession")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx =>
            {
                var principal = ctx.WgUser().RequirePrincipal();
                await Sessions(principal.UserId).RevokeSessionAsync(ctx.GetArgument<string>("id"));
                return true;
            });

        mutation.Field<NonNullGraphType<IntGraphType>>("revokeOtherSessions")
            .Description("Signs out every other device; returns how many sessions ended.")
            .ResolveAsync(async ctx =>
            {
                var principal = ctx.WgUser().RequirePrincipal();
                return await Sessions(principal.UserId).RevokeOtherSessionsAsync(principal.SessionId);
            });

        mutation.Field<NonNullGraphType<TotpSetupType>>("enableTotp")
            .Description("Starts 2FA set-up: returns a secret to scan; confirmTotp turns it on. currentPassword must be right (BAD_USER_INPUT otherwise).")
            .Argument<NonNullGraphType<StringGraphType>>("currentPassword")
            .ResolveAsync(async ctx =>
            {
                var principal = ctx.WgUser().RequirePrincipal();
                // The same budget as every other check of the current password on this account.
                await rateLimiter.EnsureAllowedAsync($"password:account:{principal.UserId}", limits.Value.LoginPerAccount, "attempts");
                return await Credentials(principal.UserId).BeginTotpSetupAsync(ctx.GetArgument<string>("currentPassword"));
            });

        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("confirmTotp")
            .Description("Turns 2FA on; returns ten one-time recovery codes, shown this once.")
            .Argument<NonNullGraphType<StringGraphType>>("code")
            .ResolveAsync(async ctx =>
            {
                var principal = ctx.WgUser().RequirePrincipal();
                await rateLimiter.EnsureAllowedAsync($"totp:account:{principal.UserId}", limits.Value.LoginPerAccount, "attempts");
                return await Credentials(principal.UserId).ConfirmTotpAsync(ctx.GetArgument<string>("code"));
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("disableTotp")
            .Argument<NonNullGraphType<StringGraphType>>("code")
            .ResolveAsync(async ctx =>
            {
                var principal = ctx.WgUser().RequirePrincipal();
                await rateLimiter.EnsureAllowedAsync($"totp:account:{principal.UserId}", limits.Value.LoginPerAccount, "attempts");
                await Credentials(principal.UserId).DisableTotpAsync(ctx.GetArgument<string>("code"));
                return true;
            });
    }

    public void AddSubscriptions(ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<SecurityEventType>>("securityEvents")
            .Description("Sign-ins, revoked sessions and 2FA changes on the signed-in account, as they happen.")
            .DependsOnViewer()
            .ResolveStreamAsync(async ctx =>
                await FeedObservable<SecurityEvent>.AttachAsync(feeds, StreamNames.AccountEvents, ctx.WgUser().RequirePrincipal().UserId));
    }

    private IUserCredentialsGrain Credentials(Guid id) => cluster.GetGrain<IUserCredentialsGrain>(id);

    private IUserSessionsGrain Sessions(Guid id) => cluster.GetGrain<IUserSessionsGrain>(id);

    private IUserProfileGrain Profile(Guid id) => cluster.GetGrain<IUserProfileGrain>(id);

    private IUserLifecycleGrain Lifecycle(Guid id) => cluster.GetGrain<IUserLifecycleGrain>(id);

    private LoginResult SignedIn(WgUserContext user, LoginResult result)
    {
        user.SignedInUserId = result.User?.Id;
        if (result.Token is not null && user.Http is { } http)
        {
            SessionAuthenticator.WriteCookie(http, result.Token, cookieOptions.Value.Lifetime);
        }

        return result;
    }
}
