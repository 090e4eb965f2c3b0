// Entry point of the Node build (segx_core.js): the core and the data bridge with no UI. The
// module stays alive after main so that tests can call the exported functions.
int main() { return 0; }
