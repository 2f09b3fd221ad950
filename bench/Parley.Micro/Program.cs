using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Parley.Micro -- --filter '*'       every benchmark
// dotnet run -c Release --project bench/Parley.Micro -- --filter '*Framing*'  one class
BenchmarkSwitcher.FromAssembly(typeof(Parley.Micro.Frames).Assembly).Run(args);
