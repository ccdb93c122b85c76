using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// A short run per case: the plain scan of ten million rooms takes seconds an operation.
BenchmarkSwitcher.FromAssembly(typeof(Analytics.Benchmarks.StatusQueryBenchmarks).Assembly)
    .Run(args, DefaultConfig.Instance.AddJob(Job.ShortRun).WithOptions(ConfigOptions.DisableOptimizationsValidator));
