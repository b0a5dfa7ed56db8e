// The scaleplan executable: everything lives in the ScaleplanCLI library, so commands are
// parsed, validated and run in-process by the tests too.
import ScaleplanCLI

Scaleplan.main()
