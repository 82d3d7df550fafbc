using System.Text.RegularExpressions;

namespace WgStream.GrainInterfaces.Accounts;

public enum DeviceType
{
    Unknown,
    Desktop,
    Mobile,
    Tablet,
    Bot,
}

/// <summary>What a session's user agent says about the device; null parts were not recognised.</summary>
public sealed record DeviceInfo(string? Browser, string? BrowserVersion, string? Os, string? OsVersion, DeviceType Type);

/// <summary>
/// A small user-agent parser for the sessions list: the common browsers, operating systems and
/// device kinds, and obvious bots and scripts. Order matters: Chromium-based browsers all say
/// "Chrome" and "Safari" too, so the specific tokens are tried first. Versions are major versions
/// (user agents freeze or round the rest). iPadOS 13+ Safari asks for desktop pages with a Mac user
/// agent, so such an iPad shows as a Mac desktop: nothing in the string tells them apart.
/// </summary>
public static partial class UserAgentParser
{
    private static readonly (string Name, Regex Pattern)[] Browsers =
    [
        ("Edge", EdgePattern()),
        ("Opera", OperaPattern()),
        ("Samsung Internet", SamsungPattern()),
        ("Yandex Browser", YandexPattern()),
        ("Vivaldi", VivaldiPattern()),
        ("Firefox", FirefoxPattern()),
        ("Chrome", ChromePattern()),
        ("Safari", SafariPattern()),
        ("Internet Explorer", InternetExplorerPattern()),
    ];

    public static DeviceInfo Parse(string? userAgent)
    {
        var ua = userAgent?.Trim() ?? string.Empty;
        if (ua.Length == 0)
        {
            return new DeviceInfo(null, null, null, null, DeviceType.Unknown);
        }

        var (os, osVersion) = OperatingSystem(ua);
        var (browser, browserVersion) = Browser(ua);
        if (BotPattern().IsMatch(ua))
        {
            return new DeviceInfo(browser, browserVersion, os, osVersion, DeviceType.Bot);
        }

        return new DeviceInfo(browser, browserVersion, os, osVersion, Type(ua, os));
    }

    private static (string?, string?) Browser(string ua)
    {
        foreach (var (name, pattern) in Browsers)
        {
            var match = pattern.Match(ua);
            if (match.Success)
            {
                var version = match.Groups["v"].Success ? match.Groups["v"].Value : null;
                return (name, version);
            }
        }

        return (null, null);
    }

    private static (string?, string?) OperatingSystem(string ua)
    {
        if (WindowsPhonePattern().Match(ua) is { Success: true } phone)
        {
            return ("Windows Phone", phone.Groups["v"].Value);
        }

        if (WindowsPattern().Match(ua) is { Success: true } windows)
        {
            return ("Windows", windows.Groups["v"].Value switch
            {
                // Windows 11 still says NT 10.0.
                "10.0" => "10",
                "6.3" => "8.1",
                "6.2" => "8",
                "6.1" => "7",
                "6.0" => "Vista",
                "5.1" or "5.2" => "XP",
                var other => other,
            });
        }

        if (IosPattern().Match(ua) is { Success: true } ios)
        {
            return ("iOS", ios.Groups["v"].Value.Replace('_', '.'));
        }

        if (AndroidPattern().Match(ua) is { Success: true } android)
        {
            return ("Android", android.Groups["v"].Success ? android.Groups["v"].Value : null);
        }

        if (ua.Contains("CrOS", StringComparison.Ordinal))
        {
            return ("ChromeOS", null);
        }

        if (MacPattern().Match(ua) is { Success: true } mac)
        {
            return ("macOS", mac.Groups["v"].Success ? mac.Groups["v"].Value.Replace('_', '.') : null);
        }

        if (ua.Contains("Macintosh", StringComparison.Ordinal))
        {
            return ("macOS", null);
        }

        if (ua.Contains("Linux", StringComparison.Ordinal) || ua.Contains("X11", StringComparison.Ordinal))
        {
            return ("Linux", null);
        }

        return (null, null);
    }

    private static DeviceType Type(string ua, string? os)
    {
        if (ua.Contains("iPad", StringComparison.Ordinal) || ua.Contains("Tablet", StringComparison.OrdinalIgnoreCase)
            || (os == "Android" && !ua.Contains("Mobile", StringComparison.Ordinal)))
        {
            return DeviceType.Tablet;
        }

        if (ua.Contains("Mobi", StringComparison.Ordinal) || ua.Contains("iPhone", StringComparison.Ordinal)
            || ua.Contains("iPod", StringComparison.Ordinal) || os is "Windows Phone" or "Android")
        {
            return DeviceType.Mobile;
        }

        return os is "Windows" or "macOS" or "Linux" or "ChromeOS" ? DeviceType.Desktop : DeviceType.Unknown;
    }

    [GeneratedRegex(@"bot\b|bot/|crawl|spider|slurp|facebookexternalhit|headless|\bcurl/|\bwget/|python-requests|python-urllib|aiohttp|go-http-client|libwww|java/|axios/|node-fetch|postmanruntime|httpclient", RegexOptions.IgnoreCase)]
    private static partial Regex BotPattern();

    [GeneratedRegex(@"\b(?:Edg|EdgA|EdgiOS|Edge)/(?<v>\d+)")]
    private static partial Regex EdgePattern();

    [GeneratedRegex(@"\b(?:OPR|OPiOS|Opera)/(?<v>\d+)|\bOpera\b")]
    private static partial Regex OperaPattern();

    [GeneratedRegex(@"\bSamsungBrowser/(?<v>\d+)")]
    private static partial Regex SamsungPattern();

    [GeneratedRegex(@"\bYaBrowser/(?<v>\d+)")]
    private static partial Regex YandexPattern();

    [GeneratedRegex(@"\bVivaldi/(?<v>\d+)")]
    private static partial Regex VivaldiPattern();

    [GeneratedRegex(@"\b(?:Firefox|FxiOS)/(?<v>\d+)")]
    private static partial Regex FirefoxPattern();

    [GeneratedRegex(@"\b(?:HeadlessChrome|Chrome|CriOS|Chromium)/(?<v>\d+)")]
    private static partial Regex ChromePattern();

    [GeneratedRegex(@"\bVersion/(?<v>\d+)(?:\.\d+)*(?: Mobile/\w+)? Safari/|\bSafari/")]
    private static partial Regex SafariPattern();

    [GeneratedRegex(@"\bMSIE (?<v>\d+)|\bTrident/.*\brv:(?<v>\d+)")]
    private static partial Regex InternetExplorerPattern();

    [GeneratedRegex(@"\bWindows Phone(?: OS)? (?<v>\d+(?:\.\d+)?)")]
    private static partial Regex WindowsPhonePattern();

    [GeneratedRegex(@"\bWindows NT (?<v>\d+\.\d+)")]
    private static partial Regex WindowsPattern();

    [GeneratedRegex(@"\b(?:iPhone|CPU) OS (?<v>\d+(?:_\d+)*)|\biPad;.*? OS (?<v>\d+(?:_\d+)*)")]
    private static partial Regex IosPattern();

    [GeneratedRegex(@"\bAndroid(?: (?<v>\d+(?:\.\d+)?))?")]
    private static partial Regex AndroidPattern();

    [GeneratedRegex(@"\bMac OS X(?: (?<v>\d+(?:[_.]\d+)*))?")]
    private static partial Regex MacPattern();
}
