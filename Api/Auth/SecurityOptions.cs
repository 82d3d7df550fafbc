namespace WgStream.Api.Auth;

/// <summary>Bound from the <c>Security</c> section.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// Origins (<c>https://example.com</c>) besides the site's own (the request's host, and
    /// <c>Accounts:PublicBaseUrl</c>) whose pages may use a visitor's session cookie: open sockets,
    /// post uploads. Empty by default: only the site itself.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];
}
