using System.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace AnalyticsService.Hosting;

/// <summary>
/// Binds a gRPC service's methods as grpc-dotnet's own binder does (the generated BindService method, each handler by
/// its name), with two differences. A request message that cannot be read fails the call with INTERNAL, "The request
/// message cannot be read.", as gRPC's status code guide says of a request that cannot be parsed: grpc-dotnet would
/// answer UNKNOWN and log the parser's stack trace as an error, which any client could do at will. And a report's
/// answer is written once per message (<see cref="Api.AnswerBytes"/>), for the calls a kept answer serves.
/// </summary>
public sealed class AnalyticsServiceMethodProvider<TService> : IServiceMethodProvider<TService> where TService : class
{
    public const string UnreadableMessage = "The request message cannot be read.";

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        if (FindBindMethod() is { } bind)
            bind.Invoke(null, [new Binder(context), null]);
    }

    private static MethodInfo? FindBindMethod()
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is { } attribute)
                return attribute.BindType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                    .FirstOrDefault(m => m.Name == attribute.BindMethodName && m.GetParameters() is [{ ParameterType: var first }, _]
                        && first == typeof(ServiceBinderBase));
        }
        return null;
    }

    private static Method<TRequest, TResponse> WithMarshallers<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class where TResponse : class
    {
        var read = method.RequestMarshaller.ContextualDeserializer;
        var marshaller = Marshallers.Create(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return read(context);
            }
            catch (Exception ex) when (ex is not RpcException)
            {
                throw new RpcException(new Status(StatusCode.Internal, UnreadableMessage));
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller,
            Api.AnswerBytes.WriteProtobufOnce(method.ResponseMarshaller));
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            context.AddUnaryMethod(WithMarshallers(method), Metadata(method),
                Invoker<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, typeof(TRequest), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddServerStreamingMethod(WithMarshallers(method), Metadata(method), Invoker<ServerStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddClientStreamingMethod(WithMarshallers(method), Metadata(method), Invoker<ClientStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)));

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            context.AddDuplexStreamingMethod(WithMarshallers(method), Metadata(method), Invoker<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(
                method.Name, typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)));

        /// <summary>An open delegate over the service's method of that name: called on the instance made for each call.</summary>
        private static TDelegate Invoker<TDelegate>(string name, params Type[] parameters) where TDelegate : Delegate =>
            (TDelegate)Delegate.CreateDelegate(typeof(TDelegate), typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters)
                ?? throw new InvalidOperationException($"{typeof(TService).Name} has no method {name}."));

        // The attributes of the service and of its method, as endpoint metadata (authorization and the like read them).
        private static List<object> Metadata(IMethod method) =>
        [
            .. typeof(TService).GetCustomAttributes(inherit: true),
            .. typeof(TService).GetMethod(method.Name, BindingFlags.Public | BindingFlags.Instance)?.GetCustomAttributes(inherit: true) ?? [],
        ];
    }
}
