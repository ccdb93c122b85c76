using System.Text.Json;
using Analytics.V1;
using AnalyticsService.Api;
using AnalyticsService.Tests.Infrastructure;
using Google.Protobuf;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AnalyticsService.Tests;

public sealed class AnswerJsonTests
{
    private static readonly string[] Pieces = ["Alice", "", "a\"b", "back\\slash", "<tag>&", "é", "日本", "😀", "\u0001", "\n", "line\u2028", "'", " "];

    private static Google.Protobuf.WellKnownTypes.Value Label(Random random) => random.Next(6) == 0
        ? Google.Protobuf.WellKnownTypes.Value.ForNull()
        : Google.Protobuf.WellKnownTypes.Value.ForString(string.Concat(Enumerable.Range(0, random.Next(4)).Select(_ => Pieces[random.Next(Pieces.Length)])));

    private static int Number(Random random) => random.Next(5) switch { 0 => 0, 1 => int.MaxValue, 2 => -random.Next(), _ => random.Next(100_000) };

    private static IEnumerable<ReportRow> Rows(Random random) =>
        Enumerable.Range(0, random.Next(3) == 0 ? 0 : random.Next(1, 40)).Select(_ => new ReportRow { Label = Label(random), Value = Number(random) });

    private static IMessage Answer(Random random)
    {
        switch (random.Next(5))
        {
            case 0:
                var status = new GetConversationsByStatusResponse { Total = Number(random), Success = random.Next(2) == 0 };
                status.Data.AddRange(Enumerable.Range(0, random.Next(5)).Select(i => new StatusCount { Label = i == 0 ? "" : Pieces[random.Next(Pieces.Length)], Value = Number(random) }));
                return status;
            case 1:
                var source = new GetConversationsBySourceResponse { Total = Number(random), Success = random.Next(2) == 0 };
                source.Data.AddRange(Rows(random));
                return source;
            case 2:
                var department = new GetConversationsByDepartmentResponse { Total = Number(random), Unspecified = Number(random), Success = random.Next(2) == 0 };
                department.Data.AddRange(Rows(random));
                return department;
            case 3:
                var tags = new GetConversationsByTagsResponse { Total = Number(random), Unspecified = Number(random), Success = random.Next(2) == 0 };
                tags.Data.AddRange(Rows(random));
                return tags;
            default:
                var agent = new GetConversationsByAgentResponse { Total = Number(random), Unspecified = Number(random), Success = random.Next(2) == 0 };
                agent.Data.AddRange(Rows(random));
                return agent;
        }
    }

    [Fact]
    public async Task Answers_are_written_byte_for_byte_as_transcoding_writes_them()
    {
        await using var factory = new AnalyticsFactory();
        await factory.RestAsync();
        var transcoding = factory.Services.GetRequiredService<IOptions<GrpcJsonTranscodingOptions>>().Value;
        var served = AnswerBytes.Served(transcoding);
        var own = AnswerBytes.TranscodingOwn!;
        var random = new Random(5);
        for (var i = 0; i < 3000; i++)
        {
            var answer = Answer(random);
            var expected = JsonSerializer.Serialize(answer, answer.GetType(), own);
            Assert.Equal(expected, JsonSerializer.Serialize(answer, answer.GetType(), served)); // written anew
            AnswerBytes.WriteOnce(answer);
            Assert.Equal(expected, JsonSerializer.Serialize(answer, answer.GetType(), served)); // kept: its bytes written once
            Assert.Equal(expected, JsonSerializer.Serialize(answer, answer.GetType(), served)); // and copied
        }
    }
}
