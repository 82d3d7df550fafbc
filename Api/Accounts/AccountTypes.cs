using GraphQL;
using GraphQL.Types;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Api.Accounts;

public sealed class UserType : ObjectGraphType<UserProfile>
{
    public UserType(IClusterClient cluster, Auth.Operators operators)
    {
        Name = "User";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field(x => x.Username);
        // The address is the owner's business only.
        Field<StringGraphType>("email").DependsOnViewer().Resolve(ctx => ctx.WgUser().IsSelf(ctx.Source.Id) ? ctx.Source.Email : null);
        Field(x => x.EmailVerified);
        Field(x => x.TotpEnabled);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt);
        Field<NonNullGraphType<StringGraphType>>("chatColor")
            .Description("The nickname colour in chat (#RRGGBB): chosen with updateChatColor, or the default for the username.")
            .ResolveAsync(async ctx => (await cluster.GetGrain<IUserProfileGrain>(ctx.Source.Id).GetChatIdentityAsync())?.Color ?? WgStream.GrainInterfaces.Chat.ChatColors.Default(ctx.Source.Username));
        Field<NonNullGraphType<OperatorAccessType>>("operatorAccess")
            .Description("Your own standing as an operator (NONE for anyone else's account): whether the admin panel opens, or asks for two-factor authentication first.")
            .DependsOnViewer()
            .ResolveAsync(async ctx => ctx.WgUser().IsSelf(ctx.Source.Id) ? await operators.AccessAsync(ctx.Source.Id) : Auth.OperatorAccess.None);
        Field<NonNullGraphType<BooleanGraphType>>("isOperator")
            .Description("True when operatorAccess is GRANTED: an operator (Admin:UserIds) with 2FA on, for whom the admin panel opens.")
            .DependsOnViewer()
            .ResolveAsync(async ctx => ctx.WgUser().IsSelf(ctx.Source.Id) && await operators.AccessAsync(ctx.Source.Id) == Auth.OperatorAccess.Granted);
    }
}

public sealed class OperatorAccessType : EnumerationGraphType<Auth.OperatorAccess>
{
    public OperatorAccessType() => Name = "OperatorAccess";
}

public sealed class AuthPayloadType : ObjectGraphType<LoginResult>
{
    public AuthPayloadType()
    {
        Name = "AuthPayload";
        Description = "A token when signed in; totpRequired when the password was right and a TOTP code is needed next.";
        Field<StringGraphType>("token").Resolve(ctx => ctx.Source.Token);
        Field<UserType>("user").Resolve(ctx => ctx.Source.User);
        Field(x => x.TotpRequired);
        Field(x => x.Reactivated).Description("True when this sign-in reactivated a deactivated account: its deletion is cancelled and its channel is shown again.");
    }
}

public sealed class SessionType : ObjectGraphType<SessionInfo>
{
    private static DeviceInfo Device(SessionInfo session) => UserAgentParser.Parse(session.UserAgent);

    public SessionType(GeoLocator geo)
    {
        Name = "Session";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("lastSeenAt").Resolve(ctx => ctx.Source.LastSeenAt);
        Field<StringGraphType>("ipAddress").Resolve(ctx => ctx.Source.IpAddress);
        Field<StringGraphType>("userAgent").Resolve(ctx => ctx.Source.UserAgent);
        Field<GeoLocationType>("location")
            .Description("City and country of the address, from the configured MaxMind database (Geo:DatabasePath); null when unknown.")
            .Resolve(ctx => geo.Locate(ctx.Source.IpAddress));
        Field<StringGraphType>("browser").Description("Browser name from the user agent, e.g. Chrome; null when not recognised.").Resolve(ctx => Device(ctx.Source).Browser);
        Field<StringGraphType>("browserVersion").Description("Major version, e.g. 120.").Resolve(ctx => Device(ctx.Source).BrowserVersion);
        Field<StringGraphType>("os").Description("Operating system, e.g. Windows, macOS, iOS, Android, Linux.").Resolve(ctx => Device(ctx.Source).Os);
        Field<StringGraphType>("osVersion").Resolve(ctx => Device(ctx.Source).OsVersion);
        Field<NonNullGraphType<DeviceTypeType>>("deviceType").Resolve(ctx => Device(ctx.Source).Type);
        Field<NonNullGraphType<BooleanGraphType>>("current").DependsOnViewer().Resolve(ctx => ctx.WgUser().Principal?.SessionId == ctx.Source.Id);
    }
}

public sealed class DeviceTypeType : EnumerationGraphType<DeviceType>
{
    public DeviceTypeType()
    {
        Name = "DeviceType";
        Description = "What kind of device a session's user agent describes; BOT for crawlers, scripts and headless browsers.";
    }
}

public sealed class AccountDeactivationType : ObjectGraphType<AccountDeactivation>
{
    public AccountDeactivationType()
    {
        Name = "AccountDeactivation";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("deactivatedAt").Resolve(ctx => ctx.Source.DeactivatedAt);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("deletionAt")
            .Description("When the account is deleted unless its owner signs in before then.")
            .Resolve(ctx => ctx.Source.DeletionAt);
    }
}

public sealed class TotpSetupType : ObjectGraphType<TotpSetup>
{
    public TotpSetupType()
    {
        Name = "TotpSetup";
        Field(x => x.Secret);
        Field(x => x.OtpauthUri).Description("Render as a QR code for an authenticator app.");
    }
}

public sealed class SecurityEventKindType : EnumerationGraphType<SecurityEventKind>
{
    public SecurityEventKindType() => Name = "SecurityEventKind";
}

public sealed class SecurityEventType : ObjectGraphType<SecurityEvent>
{
    public SecurityEventType()
    {
        Name = "SecurityEvent";
        Field<NonNullGraphType<SecurityEventKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field<IdGraphType>("sessionId").Resolve(ctx => ctx.Source.SessionId);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
    }
}

public sealed class RegisterInput
{
    public string Username { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;
}

public sealed class RegisterInputType : InputObjectGraphType<RegisterInput>
{
    public RegisterInputType()
    {
        Name = "RegisterInput";
        Field(x => x.Username);
        Field(x => x.Email);
        Field(x => x.Password);
    }
}

public sealed class LoginInput
{
    /// <summary>Username or e-mail address.</summary>
    public string Login { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;

    public string? TotpCode { get; set; }
}

public sealed class LoginInputType : InputObjectGraphType<LoginInput>
{
    public LoginInputType()
    {
        Name = "LoginInput";
        Field(x => x.Login).Description("Username or e-mail address.");
        Field(x => x.Password);
        Field(x => x.TotpCode, nullable: true).Description("A TOTP code or a recovery code, when the account has 2FA.");
    }
}

public sealed class GeoLocationType : ObjectGraphType<GeoLocation>
{
    public GeoLocationType()
    {
        Name = "GeoLocation";
        Field(x => x.City, nullable: true);
        Field(x => x.Country, nullable: true).Description("In English.");
        Field(x => x.CountryCode, nullable: true).Description("ISO 3166-1 alpha-2.");
    }
}
