import pytest
import imaging
