using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Operations;

/// <summary>
/// An Api whose operators (<c>Admin:UserIds</c>) are accounts registered on it: the Api runs once
/// to create them, then restarts with their ids configured, as an operator would set it up.
/// </summary>
public sealed class AdminFixture : ApiFixture
{
    /// <summary>A listed operator with two-factor authentication on.</summary>
    public OperatorAccount WithTwoFactor { get; private set; } = null!;

    /// <summary>A listed operator who never turned two-factor on.</summary>
    public TestAccount WithoutTwoFactor { get; private set; } = null!;

    /// <summary>A listed operator without two-factor yet, for the test that turns it on.</summary>
    public TestAccount TurnsTwoFactorOn { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var withTwoFactor = CreateClient();
        var account = await withTwoFactor.RegisterAsync();
        WithTwoFactor = new OperatorAccount(account, await TwoFactor.TurnOnAsync(withTwoFactor, account.Password));
        WithoutTwoFactor = await CreateClient().RegisterAsync();
        TurnsTwoFactorOn = await CreateClient().RegisterAsync();
        await RestartWithAsync(new Dictionary<string, string>
        {
            ["WG_Admin__UserIds__0"] = WithTwoFactor.Account.Id.ToString(),
            ["WG_Admin__UserIds__1"] = WithoutTwoFactor.Id.ToString(),
            ["WG_Admin__UserIds__2"] = TurnsTwoFactorOn.Id.ToString(),
        });
    }
}

public sealed record OperatorAccount(TestAccount Account, OtpNet.Totp Totp);

[CollectionDefinition(Name)]
public sealed class AdminCollection : ICollectionFixture<AdminFixture>
{
    public const string Name = "Admin";
}
