namespace WgStream.Gateways.Stripe;

/// <summary>Bound from the <c>Stripe</c> section (environment: <c>WG_Stripe__SecretKey</c> and so on).</summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary>Signature timestamps older (or newer) than this are refused, against replayed deliveries.</summary>
    public const long WebhookToleranceSeconds = 300;

    /// <summary><c>sk_live_...</c> or <c>sk_test_...</c>; without it checkouts are refused.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The webhook endpoint's signing secret, <c>whsec_...</c>; without it every delivery is refused.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Where the Stripe API is; empty for Stripe itself. Tests point it at a local server.</summary>
    public string? ApiBase { get; set; }

    /// <summary>The placeholder, in <see cref="SuccessUrl"/> and <see cref="CancelUrl"/>, for the sponsored channel's username.</summary>
    public const string ChannelPlaceholder = "{CHANNEL}";

    /// <summary>
    /// Where Stripe sends the payer after paying: we fill in <c>{CHANNEL}</c> (the channel's username),
    /// Stripe fills in <c>{CHECKOUT_SESSION_ID}</c>. The default lands on the web client's channel page.
    /// </summary>
    public string SuccessUrl { get; set; } = "http://127.0.0.1:5080/{CHANNEL}?sponsorship=success&session_id={CHECKOUT_SESSION_ID}";

    /// <summary>Where Stripe sends the payer who leaves the checkout; <c>{CHANNEL}</c> as in <see cref="SuccessUrl"/>.</summary>
    public string CancelUrl { get; set; } = "http://127.0.0.1:5080/{CHANNEL}?sponsorship=cancelled";

    /// <summary>One Stripe API call, network retries included, must end within this (grain calls time out at 30 s).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsValid(out string problem)
    {
        problem = !IsAbsoluteHttp(SuccessUrl) || !IsAbsoluteHttp(CancelUrl) ? "SuccessUrl and CancelUrl must be absolute http(s) URLs."
            : !string.IsNullOrWhiteSpace(ApiBase) && !IsAbsoluteHttp(ApiBase) ? "ApiBase must be an absolute http(s) URL."
            : RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromSeconds(25) ? "RequestTimeout must be positive and under 25 s."
            : string.Empty;
        return problem.Length == 0;
    }

    /// <summary>A return URL for a checkout of <paramref name="channelUsername"/>'s channel.</summary>
    public static string ForChannel(string template, string channelUsername) =>
        template.Replace(ChannelPlaceholder, Uri.EscapeDataString(channelUsername), StringComparison.Ordinal);

    private static bool IsAbsoluteHttp(string? url) =>
        Uri.TryCreate(
            url?.Replace("{CHECKOUT_SESSION_ID}", "x", StringComparison.Ordinal).Replace(ChannelPlaceholder, "x", StringComparison.Ordinal),
            UriKind.Absolute,
            out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
