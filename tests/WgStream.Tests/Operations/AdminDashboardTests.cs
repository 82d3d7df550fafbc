using System.Net;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Operations;

/// <summary>
/// <c>/admin/orleans</c> opens for the accounts listed by id in <c>Admin:UserIds</c>, and only
/// once they have two-factor authentication on.
/// </summary>
[Collection(AdminCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class AdminDashboardTests(AdminFixture fixture)
{
    private const string Stats = "/admin/orleans/ClusterStats";

    [Fact]
    public async Task Anonymous_callers_are_asked_to_sign_in()
    {
        var (status, code, _) = await GetAsync("/admin/orleans/index.html", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("UNAUTHENTICATED", code);
    }

    [Fact]
    public async Task A_signed_in_user_whose_id_is_not_listed_is_forbidden()
    {
        var viewer = await fixture.CreateClient().RegisterAsync();
        var (status, code, _) = await GetAsync("/admin/orleans/index.html", viewer.Token);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("FORBIDDEN", code);
    }

    [Fact]
    public async Task A_listed_operator_without_two_factor_is_told_to_turn_it_on()
    {
        var (status, code, message) = await GetAsync(Stats, fixture.WithoutTwoFactor.Token);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("TWO_FACTOR_REQUIRED", code);
        Assert.Contains("two-factor", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listed_operator_with_two_factor_opens_the_dashboard()
    {
        using var response = await SendAsync(Stats, fixture.WithTwoFactor.Account.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(fixture.WithTwoFactor.Account.Token, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turning_two_factor_on_opens_the_dashboard_on_the_next_request()
    {
        var account = fixture.TurnsTwoFactorOn;
        Assert.Equal("TWO_FACTOR_REQUIRED", (await GetAsync(Stats, account.Token)).Code);

        var client = fixture.CreateClient();
        client.Token = account.Token;
        await TwoFactor.TurnOnAsync(client, account.Password);

        using var response = await SendAsync(Stats, account.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(HttpStatusCode Status, string? Code, string Message)> GetAsync(string path, string? token)
    {
        using var response = await SendAsync(path, token);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, json.GetProperty("code").GetString(), json.GetProperty("message").GetString() ?? string.Empty);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string? token)
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return await http.SendAsync(request);
    }
}
