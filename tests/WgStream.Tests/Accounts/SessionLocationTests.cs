using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Accounts;

/// <summary>The Api with <c>Geo:DatabasePath</c> set: sessions show where they signed in from.</summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SessionLocationTests(SessionLocationTests.GeoFixture fixture) : IClassFixture<SessionLocationTests.GeoFixture>
{
    [Fact]
    public async Task A_session_shows_the_city_and_country_of_its_address_and_an_unknown_one_none()
    {
        var london = fixture.CreateClient();
        london.ForwardedFor = "81.2.69.142";
        var account = await london.RegisterAsync();
        var local = fixture.CreateClient();
        local.ForwardedFor = "10.20.30.40";
        local.Token = (await local.DataAsync("mutation($u: String!, $p: String!) { login(input: { login: $u, password: $p }) { token } }", new { u = account.Username, p = account.Password }))
            .GetProperty("login").GetProperty("token").GetString();

        var sessions = (await london.DataAsync("{ mySessions { ipAddress location { city country countryCode } } }")).GetProperty("mySessions").EnumerateArray().ToList();
        var fromLondon = sessions.Single(s => s.GetProperty("ipAddress").GetString() == "81.2.69.142").GetProperty("location");
        Assert.Equal(("London", "United Kingdom", "GB"), (fromLondon.GetProperty("city").GetString(), fromLondon.GetProperty("country").GetString(), fromLondon.GetProperty("countryCode").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, sessions.Single(s => s.GetProperty("ipAddress").GetString() == "10.20.30.40").GetProperty("location").ValueKind);
    }

    public sealed class GeoFixture : ApiFixture
    {
        private readonly string path = Path.Combine(Path.GetTempPath(), $"wg-geo-api-{Guid.NewGuid():N}.mmdb");

        public GeoFixture() => TestGeoDatabase.Write(path);

        protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["WG_Geo__DatabasePath"] = path };

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            File.Delete(path);
        }
    }
}
