using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Notifications;

namespace WgStream.Tests.Accounts;

/// <summary>
/// The real Api with the SMTP sink and the fake Telegram Bot API (as the notifications tests have
/// them), and a deactivation grace of <see cref="Grace"/> instead of 7 days, so the deletion
/// deadline is reached within a test through the real reminder.
/// </summary>
public sealed class AccountLifecycleFixture : NotificationsFixture
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(8);

    protected override IDictionary<string, string> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["WG_Accounts__DeletionGrace"] = Grace.ToString("c", CultureInfo.InvariantCulture);
            return settings;
        }
    }

    public async Task<string> LoginAsync(GraphQLClient client, string login, string password, string? totpCode = null)
    {
        var data = await client.DataAsync(
            "mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login, password, totpCode } });
        return data.GetProperty("login").GetProperty("token").GetString()!;
    }

    /// <summary>Uploads an image as the avatar or banner; returns its URLs.</summary>
    public async Task<IReadOnlyList<string>> UploadAsync(string kind, string token, byte[] image)
    {
        using var http = new HttpClient { BaseAddress = Api.BaseAddress };
        using var form = new MultipartFormDataContent { { new ByteArrayContent(image), "file", "upload.png" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/media/{kind}") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("urls").EnumerateObject().Select(p => p.Value.GetString()!).ToList();
    }

    public async Task<System.Net.HttpStatusCode> GetStatusAsync(string url)
    {
        using var http = new HttpClient { BaseAddress = Api.BaseAddress };
        using var response = await http.GetAsync(url);
        return response.StatusCode;
    }
}

[CollectionDefinition(Name)]
public sealed class AccountLifecycleCollection : ICollectionFixture<AccountLifecycleFixture>
{
    public const string Name = "AccountLifecycle";
}
