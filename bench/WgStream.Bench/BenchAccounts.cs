using System.Net.Http.Json;
using System.Text.Json;

namespace WgStream.Bench;

/// <summary>Signs up accounts through the Api's own <c>register</c> mutation, as a user would.</summary>
public static class BenchAccounts
{
    public static async Task<(Guid Id, string Token)> RegisterAsync(HttpClient http, string name)
    {
        var username = $"{name}_{Guid.NewGuid():N}"[..20];
        var response = await http.PostAsJsonAsync("/graphql", new
        {
            query = "mutation($i: RegisterInput!) { register(input: $i) { token user { id } } }",
            variables = new { i = new { username, email = $"{username}@bench.test", password = "bench-Password-1" } },
        });
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var register = json.GetProperty("data").GetProperty("register");
        return (Guid.Parse(register.GetProperty("user").GetProperty("id").GetString()!), register.GetProperty("token").GetString()!);
    }
}
