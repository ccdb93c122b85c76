using System.Security.Cryptography;
using AnalyticsService.Import;
using AnalyticsService.Interceptors;
using AnalyticsService.Storage;
using Dapper;

namespace AnalyticsService.Demo;

/// <summary>
/// --demo: seeds an empty store with a generated month of conversations, gives the demo admin a fresh login token
/// and, once the server listens, prints it with ready-to-paste curl and grpcurl commands.
/// </summary>
public sealed class DemoSeeder(Store store, StoreWriter writer, Importer importer, IConfiguration configuration, IHostApplicationLifetime lifetime, TimeProvider clock) : IHostedService
{
    public const string AdminUsername = "admin";
    public const int Rooms = 3000;
    public const int Days = 30;
    public const int KeptTokens = 5;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var adminId = await FindUserIdAsync(AdminUsername, cancellationToken);
        if (adminId is null && await IsEmptyAsync(cancellationToken))
        {
            // The real way in: generated mongoexport files through the importer.
            var workspace = new DataGenerator(RandomNumberGenerator.GetInt32(int.MaxValue)).Generate(Rooms, Days, now);
            var export = Directory.CreateTempSubdirectory("analytics-demo-").FullName;
            try
            {
                workspace.WriteExport(export);
                await importer.ImportAsync(export, skipInvalid: false, cancellationToken: cancellationToken);
            }
            finally
            {
                Directory.Delete(export, recursive: true);
            }
            adminId = workspace.Users.Single(u => u.Username == AdminUsername).Id;
        }
        if (adminId is null)
            throw new InvalidOperationException($"--demo needs an empty store or one with a user '{AdminUsername}'.");

        // The generator's own tokens are never shown; the demo prints only this fresh one.
        var token = DataGenerator.NewLoginToken();
        // Each run adds one; the oldest go, so that tokens do not pile up however often the demo is started.
        await writer.AddLoginTokenAsync(adminId, new LoginTokenRecord(LoginTokens.Hash(token), now), KeptTokens, cancellationToken);
        lifetime.ApplicationStarted.Register(() => Console.Out.Write(Instructions(adminId, token, now)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string Instructions(string userId, string token, DateTimeOffset now)
    {
        var rest = (configuration["Kestrel:Endpoints:Rest:Url"] ?? "http://localhost:5000").TrimEnd('/');
        var grpc = new Uri(configuration["Kestrel:Endpoints:Grpc:Url"] ?? "http://localhost:5001").Authority;
        var start = now.AddDays(-Days).ToString("yyyy-MM-dd'T'00:00:00'Z'");
        var end = now.AddDays(1).ToString("yyyy-MM-dd'T'00:00:00'Z'");
        return $$"""

            Analytics demo: {{Rooms}} conversations over the last {{Days}} days (if the store was empty).
              REST on {{rest}}, gRPC (h2c) on {{grpc}}
              user id: {{userId}}
              token:   {{token}}   (shown once; the store keeps only its hash)

            curl -s -H 'X-User-Id: {{userId}}' -H 'X-Auth-Token: {{token}}' \
              '{{rest}}/api/v1/livechat/analytics/dashboards/conversations-by-status?start={{start}}&end={{end}}'

            The other reports: conversations-by-source, -by-department, -by-tags and -by-agent, the last three with an
            optional JSON sort, for instance:
            curl -s -H 'X-User-Id: {{userId}}' -H 'X-Auth-Token: {{token}}' \
              '{{rest}}/api/v1/livechat/analytics/dashboards/conversations-by-agent?start={{start}}&end={{end}}&sort=%7B%22total%22%3A-1%7D'

            grpcurl -plaintext -H 'x-user-id: {{userId}}' -H 'x-auth-token: {{token}}' \
              -d '{"start":"{{start}}","end":"{{end}}"}' {{grpc}} analytics.v1.Dashboards/GetConversationsByStatus

            Stop with Ctrl+C.

            """;
    }

    private async Task<string?> FindUserIdAsync(string username, CancellationToken cancellationToken)
    {
        return await store.QueryAsync(forReports: false, connection => connection.QueryFirstOrDefaultAsync<string>(
            store.Command(store.Dialect.UserIdByUsername, new UsernameParameters(username), cancellationToken: cancellationToken)), cancellationToken);
    }

    private async Task<bool> IsEmptyAsync(CancellationToken cancellationToken)
    {
        return await store.QueryAsync(forReports: false, connection => connection.ExecuteScalarAsync<long>(
            store.Command(store.Dialect.CountRoomsAndUsers, cancellationToken: cancellationToken)), cancellationToken) == 0;
    }
}
