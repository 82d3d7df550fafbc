using System.Text.RegularExpressions;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Chat.AutoMod;

/// <summary>
/// Finds links in chat text and decides whether their hosts are allowed. Anything written with a
/// scheme (<c>https://…</c>) is a link; a bare <c>name.tld</c> is one when its last label is a
/// common top-level domain, so "ok.so" in a sentence is not held while "scam.com/free" is. An
/// allowed domain allows its subdomains too ("youtube.com" allows "m.youtube.com").
/// </summary>
public static class ChatLinks
{
    public const int MaxDomainLength = 253;

    /// <summary>Top-level domains that make a bare <c>name.tld</c> a link: the ones spam and phishing use most, and the region's.</summary>
    private static readonly HashSet<string> BareTopLevelDomains = new(StringComparer.Ordinal)
    {
        "com", "net", "org", "io", "gg", "tv", "co", "me", "info", "biz", "xyz", "app", "dev", "ly", "to", "link", "live",
        "site", "online", "store", "shop", "club", "fun", "top", "cc", "us", "uk", "eu", "fm", "be", "de", "fr", "pl",
        "ua", "ru", "by", "kz", "su", "cz", "it", "es", "nl", "ca", "au", "in", "cn", "jp", "kr", "br", "ws", "vip", "win",
        "bet", "casino", "click", "icu", "buzz", "gl", "gd", "sh", "am", "ai", "tk", "ml", "ga", "cf", "pw", "укр", "рф",
    };

    // Linear time (.NET's non-backtracking engine); the leading class keeps e-mail addresses and the
    // middle of words out. An IP address counts only with a scheme (bare, it is a version number).
    private static readonly Regex Link = new(
        @"(?:^|[^\p{L}\p{N}@.\-])(?<scheme>[a-z][a-z0-9+.\-]{1,15}://)?(?<host>(?<ip>[0-9]{1,3}(?:\.[0-9]{1,3}){3})|(?:[\p{L}\p{N}](?:[\p{L}\p{N}\-]{0,61}[\p{L}\p{N}])?\.)+(?<tld>\p{L}{2,24}))",
        RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture);

    /// <summary>The hosts of the links in <paramref name="text"/>, lower case, in order.</summary>
    public static IEnumerable<string> Hosts(string text)
    {
        foreach (Match match in Link.Matches(text))
        {
            var host = match.Groups["host"].Value.ToLowerInvariant();
            if (match.Groups["scheme"].Success || (!match.Groups["ip"].Success && BareTopLevelDomains.Contains(match.Groups["tld"].Value.ToLowerInvariant())))
            {
                yield return host;
            }
        }
    }

    /// <summary>The first link whose host is none of <paramref name="allowed"/> (nor under one of them), or null.</summary>
    public static string? FirstDisallowed(string text, IReadOnlyCollection<string> allowed, IReadOnlyCollection<string> alsoAllowed)
    {
        foreach (var host in Hosts(text))
        {
            if (!IsAllowed(host, allowed) && !IsAllowed(host, alsoAllowed))
            {
                return host;
            }
        }

        return null;
    }

    /// <summary>A domain as it is kept: lower case, no scheme, path, port or leading "www."; BAD_USER_INPUT when it cannot be one.</summary>
    public static string NormalizeDomain(string domain)
    {
        var value = (domain ?? string.Empty).Trim().ToLowerInvariant();
        if (value.Contains("://", StringComparison.Ordinal))
        {
            value = value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..];
        }

        value = value.Split('/', '?', '#', ':')[0].TrimEnd('.');
        if (value.StartsWith("www.", StringComparison.Ordinal))
        {
            value = value[4..];
        }

        var labels = value.Split('.');
        if (value.Length is 0 or > MaxDomainLength || labels.Length < 2 || !labels.All(IsLabel) || !labels[^1].All(char.IsLetter))
        {
            throw WgException.BadInput($"\"{Shorten(domain ?? string.Empty)}\" is not a domain such as example.com.", "domains");
        }

        return value;
    }

    private static bool IsAllowed(string host, IReadOnlyCollection<string> allowed)
    {
        foreach (var domain in allowed)
        {
            if (host.Length == domain.Length
                ? host.Equals(domain, StringComparison.Ordinal)
                : host.Length > domain.Length && host.EndsWith(domain, StringComparison.Ordinal) && host[^(domain.Length + 1)] == '.')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsLetterOrDigit(c) || c == '-');

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
