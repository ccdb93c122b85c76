using AnalyticsService.Hosting;
using AnalyticsService.Interceptors;
using AnalyticsService.Services;
using AnalyticsService.Tests.Infrastructure;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AnalyticsService.Tests;

/// <summary>
/// Every method of every service in the proto passes the whole pipeline, and a call of a kind the pipeline does not
/// check (streaming) is refused by every step of it, so a method added later cannot slip past authentication.
/// </summary>
public sealed class PipelineCoverageTests : IAsyncLifetime
{
    private readonly AnalyticsFactory _factory = new();
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        await _factory.GrpcAsync();
        _channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _factory.DisposeAsync();
    }

    public static TheoryData<string, string> ProtoMethods()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in Analytics.V1.DashboardsReflection.Descriptor.Services)
            foreach (var method in service.Methods)
                data.Add(service.FullName, method.Name);
        return data;
    }

    /// <summary>The method's request with a valid range wherever it takes one, so that only the pipeline can refuse it.</summary>
    private static byte[] ValidRequest(MethodDescriptor method)
    {
        var request = method.InputType.Parser.ParseFrom(Google.Protobuf.ByteString.Empty);
        foreach (var (field, value) in new[] { ("start", "2020-01-01"), ("end", "2020-02-01") })
            method.InputType.FindFieldByName(field)?.Accessor.SetValue(request, value);
        return Google.Protobuf.MessageExtensions.ToByteArray(request);
    }

    private async Task<StatusCode> CallAsync(MethodDescriptor method, Metadata? headers)
    {
        var body = ValidRequest(method);
        var type = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (false, true) => MethodType.ServerStreaming,
            (true, false) => MethodType.ClientStreaming,
            _ => MethodType.DuplexStreaming,
        };
        var definition = RawGrpc.Method(type, method.Service.FullName, method.Name);
        var options = RawGrpc.Options(headers);
        var invoker = _channel.CreateCallInvoker();
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(definition, null, options, body);
                    break;
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(definition, null, options, body))
                        while (await call.ResponseStream.MoveNext(CancellationToken.None)) { }
                    break;
                default:
                    using (var call = invoker.AsyncDuplexStreamingCall(definition, null, options))
                    {
                        await call.RequestStream.CompleteAsync();
                        while (await call.ResponseStream.MoveNext(CancellationToken.None)) { }
                    }
                    break;
            }
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    [Theory]
    [MemberData(nameof(ProtoMethods))]
    public async Task Each_method_in_the_proto_passes_the_whole_pipeline(string service, string name)
    {
        var method = Analytics.V1.DashboardsReflection.Descriptor.Services.Single(s => s.FullName == service).FindMethodByName(name);
        var agent = await _factory.CreateUserAsync("livechat-agent");
        var admin = await _factory.CreateUserAsync("admin");
        var streaming = method.IsClientStreaming || method.IsServerStreaming;

        // No credentials: authentication answers. Without the permission: the permission step answers. With it: the
        // method itself. A streaming method is refused whoever calls.
        Assert.Equal(streaming ? StatusCode.Unimplemented : StatusCode.Unauthenticated, await CallAsync(method, null));
        Assert.Equal(streaming ? StatusCode.Unimplemented : StatusCode.PermissionDenied, await CallAsync(method, agent.Headers));
        Assert.Equal(streaming ? StatusCode.Unimplemented : StatusCode.OK, await CallAsync(method, admin.Headers));
    }

    [Fact]
    public void The_service_runs_every_interceptor_of_the_pipeline_and_each_refuses_streaming_calls()
    {
        var options = _factory.Services.GetRequiredService<IOptions<GrpcServiceOptions<DashboardsService>>>().Value;
        Assert.Equal(ServiceCollectionExtensions.Pipeline, options.Interceptors.Select(i => i.Type));
        foreach (var type in ServiceCollectionExtensions.Pipeline)
        {
            Assert.True(type.IsAssignableTo(typeof(UnaryPipelineInterceptor)), $"{type.Name} does not fail closed");
            var interceptor = (Interceptor)_factory.Services.GetRequiredService(type);
            var reached = false;
            var refusals = new Action[]
            {
                // Refused as the handler is called, before any task exists.
                () => interceptor.ServerStreamingServerHandler<string, string>("", null!, null!, (_, _, _) => { reached = true; return Task.CompletedTask; }),
                () => interceptor.ClientStreamingServerHandler<string, string>(null!, null!, (_, _) => { reached = true; return Task.FromResult(""); }),
                () => interceptor.DuplexStreamingServerHandler<string, string>(null!, null!, null!, (_, _, _) => { reached = true; return Task.CompletedTask; }),
            };
            foreach (var refusal in refusals)
            {
                var error = Assert.Throws<RpcException>(() => refusal());
                Assert.Equal((StatusCode.Unimplemented, UnaryPipelineInterceptor.StreamingRefused), (error.StatusCode, error.Status.Detail));
            }
            Assert.False(reached);
        }
    }
}
