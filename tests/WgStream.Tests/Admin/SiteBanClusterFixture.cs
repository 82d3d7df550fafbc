using System.Globalization;
using WgStream.GrainInterfaces.Accounts;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Admin;

/// <summary>
/// A cluster with two operators listed in <c>Admin:UserIds</c> (their accounts are registered by the
/// tests that need them) and a one-second site-ban sweep, so a ban left half done is seen finished.
/// </summary>
public sealed class SiteBanClusterFixture : ClusterFixture
{
    public static readonly Guid OperatorId = new("0a000000-0000-4000-8000-0000000000a1");

    public static readonly Guid OtherOperatorId = new("0a000000-0000-4000-8000-0000000000a2");

    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Admin:UserIds:0"] = OperatorId.ToString(),
        ["Admin:UserIds:1"] = OtherOperatorId.ToString(),
        ["SiteBans:SweepInterval"] = SweepInterval.ToString("c", CultureInfo.InvariantCulture),
    };

    private readonly SemaphoreSlim operatorsRegistered = new(1, 1);
    private bool registered;

    /// <summary>Registers the operators' accounts once for the collection.</summary>
    public async Task EnsureOperatorsAsync()
    {
        await operatorsRegistered.WaitAsync();
        try
        {
            if (!registered)
            {
                foreach (var id in new[] { OperatorId, OtherOperatorId })
                {
                    var username = GrainTestAccounts.NewUsername();
                    await GrainFactory.GetGrain<IUserLifecycleGrain>(id).RegisterAsync(new RegisterCommand(username, $"{username}@example.test", GrainTestAccounts.Password, "en"));
                }

                registered = true;
            }
        }
        finally
        {
            operatorsRegistered.Release();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SiteBanClusterCollection : ICollectionFixture<SiteBanClusterFixture>
{
    public const string Name = "SiteBanCluster";
}
