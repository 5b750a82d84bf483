// Training tests share libtorch's process-wide thread pool and each holds a 90 MB encoder: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
