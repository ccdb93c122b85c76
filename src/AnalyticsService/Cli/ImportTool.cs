using AnalyticsService.Hosting;
using AnalyticsService.Import;
using AnalyticsService.Storage;

namespace AnalyticsService.Cli;

/// <summary>
/// <c>import &lt;dir&gt; [--skip-invalid]</c>: mongoexport files into the store the service's settings name. Prints a
/// count per file at the end; shows progress while it runs when standard error is a terminal.
/// </summary>
public static class ImportTool
{
    public static async Task<int> RunAsync(CommandLine commandLine, TextWriter output, TextWriter errors)
    {
        if (commandLine.Positional.Count != 1)
            throw new UsageException("import takes one directory");
        var directory = Path.GetFullPath(commandLine.Positional[0]);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = commandLine.HostArguments,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddAnalyticsStore(builder.Configuration, migrateOnStart: false);
        using var host = builder.Build();
        var services = host.Services;
        try
        {
            await services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
            var progress = Console.IsErrorRedirected ? null : new TerminalProgress(errors);
            await output.WriteLineAsync($"Reading {directory}");
            var report = await services.GetRequiredService<Importer>().ImportAsync(directory, commandLine.Flag("--skip-invalid"), progress);
            Print(report, output);
            if (report.Files.Count > 0)
                return 0;
            await errors.WriteLineAsync($"Nothing imported: {directory} holds none of {string.Join(", ", ExportCollection.All().Select(c => c.FileName))}.");
            return 1;
        }
        catch (ImportException ex)
        {
            await errors.WriteLineAsync(ex.Message);
            return 1;
        }
        catch (Exception ex) when (StoreFailures.IsStoreFailure(ex))
        {
            await errors.WriteLineAsync(StoreFailures.Describe(ex, services.GetRequiredService<Store>().Location));
            return 1;
        }
    }

    private static void Print(ImportReport report, TextWriter output)
    {
        if (report.Files.Count > 0)
        {
            output.WriteLine($"{"file",-40} {"imported",10} {"updated",10} {"removed",10} {"skipped",10} {"invalid",10}");
            foreach (var file in report.Files)
                output.WriteLine($"{file.File,-40} {file.Imported,10} {file.Updated,10} {file.Removed,10} {file.Skipped,10} {file.Invalid,10}");
        }
        if (report.NotRead.Count > 0)
            output.WriteLine($"Not read (not a collection the reports use): {string.Join(", ", report.NotRead)}");
        if (report.Invalid.Count > 0)
        {
            output.WriteLine($"Skipped {report.Invalid.Count} invalid document(s):");
            foreach (var invalid in report.Invalid)
                output.WriteLine($"  {invalid}");
        }
    }

    /// <summary>One line, rewritten in place: documents and documents per second of the file being read.</summary>
    private sealed class TerminalProgress(TextWriter errors) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            var rate = value.Elapsed.TotalSeconds > 0 ? value.Documents / value.Elapsed.TotalSeconds : 0;
            errors.Write($"\r{value.File}: {value.Documents:N0} documents, {rate:N0}/s   ");
            if (value.Finished)
                errors.WriteLine();
        }
    }
}
