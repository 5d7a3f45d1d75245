"""The limits one workbook is processed under: the command line shows them in its help, the batch
and the web page apply them. Plain numbers, so that the command line names them without loading
anything else."""

DEFAULT_TIMEOUT = 120          # seconds for one workbook
DEFAULT_MEMORY_MB = 1024       # address space one worker may add to what it has when it starts
