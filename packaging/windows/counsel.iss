; Inno Setup script: per-user install of the PyInstaller one-folder bundle, no admin rights.
; Build on Windows after `pyinstaller packaging/counsel.spec`:
;   iscc /DVersion=0.1.0 packaging\windows\counsel.iss
; Uninstalling removes the program only; the user's vault (%APPDATA%\Counsel) is left alone.

#ifndef Version
  #define Version "0.1.0"
#endif

[Setup]
AppId={{6C3A2F9E-5C1B-4E5B-9C33-0C7A9E1D2B11}
AppName=Counsel
AppVersion={#Version}
AppPublisher=Counsel developers
DefaultDirName={localappdata}\Programs\Counsel
DefaultGroupName=Counsel
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=Counsel-{#Version}-setup
SetupIconFile=..\..\build\icons\counsel.ico
UninstallDisplayIcon={app}\counsel.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "finnish"; MessagesFile: "compiler:Languages\Finnish.isl"
Name: "swedish"; MessagesFile: "compiler:Languages\Swedish.isl"

[Files]
Source: "..\..\dist\counsel\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\Counsel"; Filename: "{app}\counsel.exe"
Name: "{userdesktop}\Counsel"; Filename: "{app}\counsel.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
Filename: "{app}\counsel.exe"; Description: "{cm:LaunchProgram,Counsel}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only what the installer put in {app}; never the user's data folder
Type: filesandordirs; Name: "{app}\_internal"
