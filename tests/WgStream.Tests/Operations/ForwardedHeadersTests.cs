using WgStream.Api.Auth;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Operations;

/// <summary>An Api that trusts no proxy: what a client claims in X-Forwarded-For is not its address.</summary>
public sealed class NoTrustedProxyFixture : ApiFixture
{
    // ApiProcess trusts loopback for the other tests; blank entries trust nothing.
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WG_Http__TrustedProxies__0"] = "",
        ["WG_Http__TrustedProxies__1"] = "",
    };
}

[Trait(TestKind.Name, TestKind.Integration)]

public sealed class ForwardedHeadersTests(NoTrustedProxyFixture fixture) : IClassFixture<NoTrustedProxyFixture>
{
    [Fact]
    public async Task Without_trusted_proxies_a_claimed_address_is_ignored_and_the_log_says_so_once()
    {
        var client = fixture.CreateClient();
        client.ForwardedFor = "203.0.113.9";
        var account = await client.RegisterAsync();
        client.Token = account.Token;
        await client.DataAsync("{ me { id } }");

        var sessions = (await client.DataAsync("{ mySessions { ipAddress } }")).GetProperty("mySessions");
        Assert.Equal("127.0.0.1", sessions[0].GetProperty("ipAddress").GetString());
        var output = fixture.Api.Output;
        var warning = "Http:TrustedProxies is empty";
        Assert.Contains(warning, output, StringComparison.Ordinal);
        Assert.Equal(output.IndexOf(warning, StringComparison.Ordinal), output.LastIndexOf(warning, StringComparison.Ordinal));
    }
}

[Trait(TestKind.Name, TestKind.Integration)]

public sealed class RateLimitAddressTests
{
    [Theory]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("::ffff:198.51.100.7", "198.51.100.7")]
    [InlineData("198.51.100.7", "198.51.100.7")]
    [InlineData(null, "unknown")]
    public void IPv6_clients_are_counted_by_their_64_and_mapped_ones_as_IPv4(string? address, string key) =>
        Assert.Equal(key, RateLimitAddress.Of(address));
}
