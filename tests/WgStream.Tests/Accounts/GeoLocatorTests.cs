using Microsoft.Extensions.Options;
using WgStream.Api.Accounts;
using WgStream.Testing;

namespace WgStream.Tests.Accounts;

/// <summary>The real MaxMind reader over a database built for the test (<see cref="MmdbWriter"/>).</summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class GeoLocatorTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"wg-geo-{Guid.NewGuid():N}.mmdb");

    public GeoLocatorTests() => TestGeoDatabase.Write(path);

    [Theory]
    [InlineData("81.2.69.142", "London", "United Kingdom", "GB")]
    [InlineData("81.2.69.1", "London", "United Kingdom", "GB")]
    [InlineData("91.198.174.10", "Kyiv", "Ukraine", "UA")]
    [InlineData("203.0.113.7", null, "Ukraine", "UA")] // a country without a city
    public void An_address_in_the_database_has_its_city_and_country(string address, string? city, string country, string code)
    {
        using var geo = new GeoLocator(Options.Create(new GeoOptions { DatabasePath = path }));
        Assert.Equal(new GeoLocation(city, country, code), geo.Locate(address));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("81.2.70.1")]
    [InlineData("::1")] // IPv6 in an IPv4 database
    [InlineData("not an address")]
    [InlineData(null)]
    public void Other_addresses_are_unknown(string? address)
    {
        using var geo = new GeoLocator(Options.Create(new GeoOptions { DatabasePath = path }));
        Assert.Null(geo.Locate(address));
    }

    [Fact]
    public void Without_a_database_every_location_is_unknown()
    {
        using var geo = new GeoLocator(Options.Create(new GeoOptions()));
        Assert.False(geo.Enabled);
        Assert.Null(geo.Locate("81.2.69.142"));
    }

    [Fact]
    public void A_configured_database_that_is_missing_fails_at_start() =>
        Assert.ThrowsAny<IOException>(() => new GeoLocator(Options.Create(new GeoOptions { DatabasePath = path + ".missing" })));

    public void Dispose() => File.Delete(path);
}

/// <summary>The networks the geo tests know.</summary>
public static class TestGeoDatabase
{
    public static void Write(string path) => new MmdbWriter()
        .Add("81.2.69.0/24", "London", "United Kingdom", "GB")
        .Add("91.198.174.0/24", "Kyiv", "Ukraine", "UA")
        .Add("203.0.113.0/24", null, "Ukraine", "UA")
        .Save(path);
}
