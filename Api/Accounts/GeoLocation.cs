using System.Net;
using MaxMind.GeoIP2;
using MaxMind.GeoIP2.Exceptions;
using Microsoft.Extensions.Options;

namespace WgStream.Api.Accounts;

/// <summary>Bound from the <c>Geo</c> section: the MaxMind-format (GeoIP2/GeoLite2 City) database sessions are located with.</summary>
public sealed class GeoOptions
{
    public const string Section = "Geo";

    /// <summary>A <c>.mmdb</c> City database (GeoLite2-City is free from MaxMind); without one, locations are unknown.</summary>
    public string? DatabasePath { get; set; }
}

/// <summary>Where an address is, as far as the database knows: city (may be null) and country.</summary>
public sealed record GeoLocation(string? City, string? Country, string? CountryCode);

/// <summary>
/// Looks addresses up in the configured database, opened once and held in memory (the reader is
/// thread-safe). Private, loopback and unknown addresses, and every address when no database is
/// configured, have no location: the sessions page says "unknown".
/// </summary>
public sealed class GeoLocator : IDisposable
{
    private readonly DatabaseReader? reader;

    public GeoLocator(IOptions<GeoOptions> options)
    {
        if (options.Value.DatabasePath is { Length: > 0 } path)
        {
            // A path that is set but unreadable fails at start, not silently at every lookup.
            reader = new DatabaseReader(path, MaxMind.Db.FileAccessMode.Memory);
        }
    }

    public bool Enabled => reader is not null;

    public GeoLocation? Locate(string? address)
    {
        if (reader is null || !IPAddress.TryParse(address, out var ip))
        {
            return null;
        }

        try
        {
            if (!reader.TryCity(ip, out var city) || city is null)
            {
                return null;
            }

            return city.Country.IsoCode is null && city.City.Name is null
                ? null
                : new GeoLocation(city.City.Name, city.Country.Name, city.Country.IsoCode);
        }
        catch (Exception e) when (e is GeoIP2Exception or InvalidOperationException or ArgumentException)
        {
            // An IPv6 address in an IPv4-only database, say: no location, not an error for the user.
            return null;
        }
    }

    public void Dispose() => reader?.Dispose();
}
