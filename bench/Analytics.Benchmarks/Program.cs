using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// bench/run's gRPC load with a new range on every call (not a BenchmarkDotNet case).
if (args is ["grpc-load", .. var load])
    return await Analytics.Benchmarks.GrpcLoad.RunAsync(load);

// bench/writes' writer: commits at a steady rate into a store a running service reads.
if (args is ["write-load", .. var writes])
    return await Analytics.Benchmarks.WriteLoad.RunAsync(writes);

// bench/run's same-size baseline: a server that only sends bodies of a given size.
if (args is ["fixed-bodies", .. var sizes])
    return await Analytics.Benchmarks.FixedBodies.RunAsync(sizes);

// A short run per case: the plain scan of ten million rooms takes seconds an operation.
BenchmarkSwitcher.FromAssembly(typeof(Analytics.Benchmarks.StatusQueryBenchmarks).Assembly)
    .Run(args, DefaultConfig.Instance.AddJob(Job.ShortRun).WithOptions(ConfigOptions.DisableOptimizationsValidator));
return 0;
