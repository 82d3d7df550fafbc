using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WgStream.Api.Hosting;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Media;

namespace WgStream.Tests.Operations;

/// <summary>
/// The catch-all for REST endpoints (<see cref="ErrorResponses"/>): an unhandled exception is a JSON
/// <c>INTERNAL</c> body without its details, never a bare 500; a briefly unreachable cluster is a 503
/// with <c>UNAVAILABLE</c> and Retry-After.
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ErrorResponsesTests
{
    private const string Detail = "db password is hunter2";

    [Theory]
    [InlineData("/bug", HttpStatusCode.InternalServerError)]
    [InlineData("/timeout", HttpStatusCode.ServiceUnavailable)]
    [InlineData("/orleans", HttpStatusCode.ServiceUnavailable)]
    [InlineData("/canceled", HttpStatusCode.ServiceUnavailable)]
    public async Task An_unhandled_exception_is_a_json_internal_error_without_its_details(string path, HttpStatusCode status)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.UseWgStreamErrorResponses();
        app.MapGet("/bug", string () => throw new InvalidOperationException(Detail));
        app.MapGet("/timeout", string () => throw new TimeoutException(Detail));
        app.MapGet("/orleans", string () => throw new OrleansException(Detail));
        app.MapGet("/canceled", string () => throw new OperationCanceledException(Detail));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        using var response = await http.GetAsync(path);

        var body = await AssertCodeAsync(response, status, status == HttpStatusCode.ServiceUnavailable ? "UNAVAILABLE" : "INTERNAL");
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        if (status == HttpStatusCode.ServiceUnavailable)
        {
            Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
        }
        else
        {
            Assert.False(response.Headers.Contains("Retry-After"));
        }
    }

    /// <summary>The same in the real Api: an avatar upload whose media store (S3) cannot be reached.</summary>
    [Fact]
    public async Task The_api_answers_an_upload_that_fails_inside_with_json_internal()
    {
        var deadS3 = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var fixture = new UnreachableS3ApiFixture(deadS3);
        await fixture.InitializeAsync();
        try
        {
            var account = await fixture.CreateClient().RegisterAsync();
            using var api = new HttpClient { BaseAddress = fixture.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
            using var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Png(64, 64)), "file", "me.png" } };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/media/avatar") { Content = form };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Token);

            using var response = await api.SendAsync(request);

            var body = await AssertCodeAsync(response, HttpStatusCode.InternalServerError, "INTERNAL");
            Assert.DoesNotContain(deadS3.Authority, body, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task<string> AssertCodeAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(code, json.RootElement.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("message").GetString()));
        return body;
    }

    private sealed class UnreachableS3ApiFixture(Uri serviceUrl) : ApiFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["WG_Media__Store"] = "S3",
            ["WG_Media__S3__ServiceUrl"] = serviceUrl.ToString(),
            ["WG_Media__S3__Bucket"] = "wg-nowhere",
            ["WG_Media__S3__AccessKey"] = "key",
            ["WG_Media__S3__SecretKey"] = "secret",
        };
    }
}
