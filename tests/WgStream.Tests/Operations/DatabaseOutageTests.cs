using Npgsql;
using WgStream.Grains.Infrastructure.Database;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Operations;

/// <summary>
/// A database that refuses for a moment (out of connections, failing over) is the retryable
/// <c>UNAVAILABLE</c> for the client; a database error that is a bug stays <c>INTERNAL</c>. Both
/// faults are raised by PostgreSQL itself, on the one sign-up's row, and cross a real grain call.
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
[Collection(ApiCollection.Name)]
public sealed class DatabaseOutageTests(ApiFixture fixture)
{
    [Theory]
    [InlineData("53300", "UNAVAILABLE")] // too_many_connections: PostgreSQL at max_connections
    [InlineData("40001", "UNAVAILABLE")] // serialization_failure: the transaction lost a conflict
    [InlineData("P0001", "INTERNAL")] // a raised exception: our bug, not worth a retry
    public async Task A_sign_up_the_database_refuses_answers_by_whether_trying_again_can_help(string sqlState, string code)
    {
        var username = $"u{Guid.NewGuid():N}"[..20];
        var client = fixture.CreateClient();
        await using (await DatabaseFault.InjectAsync(fixture.Database.DataSource, "accounts", $"NEW.username = '{username}'", sqlState))
        {
            (await client.SendAsync(
                "mutation($i: RegisterInput!) { register(input: $i) { token } }",
                new { i = new { username, email = $"{username}@example.test", password = "correct-Horse-7" } }))
                .AssertError(code);
        }

        // Nothing of the refused attempt is in the way once the database serves again.
        var account = await client.RegisterAsync(username);
        Assert.Equal(username, account.Username);
    }

    [Fact]
    public void Transient_means_what_npgsql_says_and_is_found_inside_a_wrapper()
    {
        Assert.True(TransientDatabaseFailureFilter.IsTransient(new NpgsqlException("pool exhausted", new TimeoutException())));
        Assert.True(TransientDatabaseFailureFilter.IsTransient(new InvalidOperationException("wrapped", new NpgsqlException("refused", new System.Net.Sockets.SocketException()))));
        Assert.False(TransientDatabaseFailureFilter.IsTransient(new InvalidOperationException("a bug")));
    }
}
