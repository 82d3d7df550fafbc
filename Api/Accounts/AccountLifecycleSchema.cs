using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.Options;
using WgStream.Api.Auth;
using WgStream.Api.Channels;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.Api.Accounts;

/// <summary>
/// Changing the e-mail address and the username, deactivating the account (deleted after a grace
/// period), and removing the avatar or banner. Every one acts on the signed-in account only.
/// </summary>
public sealed class AccountLifecycleSchema(
    IClusterClient cluster,
    RateLimiter rateLimiter,
    IOptions<RateLimitOptions> limits) : ISchemaContributor
{
    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<UserType>>("changeEmail")
            .Description("Moves the account to a new address, which must then be verified (a code is sent to it); the previous address is told of the change.")
            .Argument<NonNullGraphType<StringGraphType>>("newEmail")
            .Argument<NonNullGraphType<StringGraphType>>("currentPassword")
            .ResolveAsync(async ctx =>
            {
                var principal = ctx.WgUser().RequirePrincipal();
                await rateLimiter.EnsureAllowedAsync($"password:account:{principal.UserId}", limits.Value.LoginPerAccount, "attempts");
                await rateLimiter.EnsureAllowedAsync($"mail:account:{principal.UserId}", limits.Value.EmailPerAccount, "e-mails");
                return await Profile(principal.UserId).ChangeEmailAsync(ctx.GetArgument<string>("newEmail"), ctx.GetArgument<string>("currentPassword"));
            });

        mutation.Field<NonNullGraphType<UserType>>("changeUsername")
            .Description("Renames the account and its channel URL at once. Once per Accounts:UsernameChangeCooldown (30 days; RATE_LIMITED with retryAt before then; case-only changes are free); the old name stays reserved for this account for Accounts:UsernameReservation (14 days). Needs currentPassword or, on an account with 2FA on, totpCode (an authenticator or recovery code) instead; a wrong or missing one is BAD_USER_INPUT.")
            .Argument<NonNullGraphType<StringGraphType>>("newUsername")
            .Argument<StringGraphType>("currentPassword")
            .Argument<StringGraphType>("totpCode")
            .ResolveAsync(async ctx =>
            {
                var principal = ctx.WgUser().RequirePrincipal();
                // Counted with the other password checks, so renames add no guesses at the password.
                await rateLimiter.EnsureAllowedAsync($"password:account:{principal.UserId}", limits.Value.LoginPerAccount, "attempts");
                return await Profile(principal.UserId).ChangeUsernameAsync(
                    ctx.GetArgument<string>("newUsername"), ctx.GetArgument<string?>("currentPassword"), ctx.GetArgument<string?>("totpCode"));
            });

        mutation.Field<NonNullGraphType<AccountDeactivationType>>("deactivateAccount")
            .Description("Signs every session out, hides the channel and deletes the account after Accounts:DeletionGrace (7 days) unless its owner signs in before then. totpCode (or a recovery code) is needed when 2FA is on.")
            .Argument<NonNullGraphType<StringGraphType>>("currentPassword")
            .Argument<StringGraphType>("totpCode")
            .ResolveAsync(async ctx =>
            {
                var user = ctx.WgUser();
                var principal = user.RequirePrincipal();
                await rateLimiter.EnsureAllowedAsync($"password:account:{principal.UserId}", limits.Value.LoginPerAccount, "attempts");
                var deactivation = await Lifecycle(principal.UserId).DeactivateAsync(ctx.GetArgument<string>("currentPassword"), ctx.GetArgument<string?>("totpCode"));
                if (user.Http is { } http)
                {
                    SessionAuthenticator.ClearCookie(http);
                }

                return deactivation;
            });

        mutation.Field<NonNullGraphType<ChannelType>>("removeAvatar")
            .Description("Removes the signed-in user's avatar and deletes its stored images.")
            .ResolveAsync(async ctx => await RemoveImageAsync(ctx, ChannelImageKind.Avatar));

        mutation.Field<NonNullGraphType<ChannelType>>("removeBanner")
            .Description("Removes the signed-in user's banner and deletes its stored image.")
            .ResolveAsync(async ctx => await RemoveImageAsync(ctx, ChannelImageKind.Banner));
    }

    private IUserProfileGrain Profile(Guid id) => cluster.GetGrain<IUserProfileGrain>(id);

    private IUserLifecycleGrain Lifecycle(Guid id) => cluster.GetGrain<IUserLifecycleGrain>(id);

    private async Task<ChannelProfile?> RemoveImageAsync(IResolveFieldContext ctx, ChannelImageKind kind)
    {
        var me = ctx.WgUser().RequirePrincipal().UserId;
        await cluster.GetGrain<IChannelMediaGrain>(0).RemoveChannelImageAsync(me, me, kind);
        return await cluster.GetGrain<IChannelGrain>(me).GetAsync();
    }
}
