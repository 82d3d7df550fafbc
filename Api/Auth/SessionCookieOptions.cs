namespace WgStream.Api.Auth;

/// <summary>Bound from the <c>Accounts</c> section's <c>SessionLifetime</c>: the browser cookie lives as long as the session.</summary>
public sealed class SessionCookieOptions
{
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(30);
}
