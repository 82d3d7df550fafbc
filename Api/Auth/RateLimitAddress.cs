using System.Net;
using System.Net.Sockets;

namespace WgStream.Api.Auth;

/// <summary>
/// The address a per-address rate limit counts against. An IPv6 customer usually gets a whole /64
/// (18 quintillion addresses) from their provider, so counting single IPv6 addresses would give one
/// person unlimited tries; the /64 is the unit, as an IPv4 address is. IPv4-mapped IPv6 addresses
/// count as the IPv4 address.
/// </summary>
public static class RateLimitAddress
{
    public static string Of(string? address)
    {
        if (!IPAddress.TryParse(address, out var ip))
        {
            return address ?? "unknown";
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        if (ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return ip.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return $"{new IPAddress(bytes)}/64";
    }
}
